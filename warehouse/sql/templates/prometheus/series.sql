-- One row per series and part: labels parsed once here, not once per point; the series id is the hash of its sorted
-- labels (the same series on several days of a batch has one id).
create or replace temp table _prom_series as
select k, part, partition_key, load_id, filename, s.metric as labels,
       hash(list_sort(map_entries(cast(s.metric as map(varchar, varchar))))) as series_id,
       coalesce(json_extract_string(s.metric, '$.__name__'), part_metric) as name,
       coalesce(json_extract_string(s.metric, '$.Hostname'), json_extract_string(s.metric, '$.hostname'))
           as hostname,
       json_extract_string(s.metric, '$.UUID') as gpu_uuid,
       json_extract_string(s.metric, '$.GPU_I_ID') as gpu_i_id,
       -- behind a ServiceMonitor the exporter's own pod is `pod` and the workload's `exported_pod`
       coalesce(json_extract_string(s.metric, '$.exported_pod'), json_extract_string(s.metric, '$.pod')) as pod,
       json_extract_string(s.metric, '$.instance') as instance
from _prom_answers
where s is not null
