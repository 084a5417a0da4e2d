-- Every telemetry point in one shape, from Prometheus history, dcgm-exporter scrapes and vLLM/Triton scrapes, once
-- per series and time. A series is identified by what it measures, not by who collected it:
--   * a GPU metric by GPU UUID, MIG instance and pod (a time-sliced GPU reports one series per pod sharing it);
--     power and energy by GPU UUID alone, because MIG instance and time-slice rows repeat the GPU's reading (so it
--     is counted once);
--   * any other metric by its labels without the collector's own (job, pod, namespace, container), so the same
--     server's counter read by a scrape and from Prometheus is one series, never two.
-- service = the pod's workload (a configured workload label, else its owner read from the pod name: Deployment,
-- StatefulSet, Job, CronJob, JobSet, PyTorchJob/MPIJob; see the workload_of macro), or the configured service of a
-- scraped inference server.
-- Labels, the service and the label hash of a Prometheus series are worked out once per series, not once per point.
-- De-duplication without ranking every point: the Prometheus loader keeps each (series, time) once, so Prometheus
-- points can repeat a (metric, series_key, time) only where several series share a series_key (a MIG GPU's power
-- series, say): only those points are ranked. A scraped point is kept where no Prometheus point has its key and time
-- (Prometheus history wins, as before), one per key and time among the scrapes. Ranking every point carried every
-- column through a sort of the whole day (13 s of the 15 a day's DCGM points cost at 512 GPUs). The CTEs read more
-- than once are NOT MATERIALIZED, so each use reads only its own columns and days (materialized, every column of
-- every point was copied first).
with prom_series as {{ inlined_cte() }} (

    select
        series_id, metric, hostname, gpu_uuid, gpu_i_id, pod,
        -- behind a ServiceMonitor the workload's namespace is exported_namespace (as its pod is exported_pod)
        coalesce({{ json_text('series_labels', '$.exported_namespace') }},
                 {{ json_text('series_labels', '$.namespace') }})             as namespace,
        {{ json_text('series_labels', '$.GPU_I_PROFILE') }}                     as gpu_i_profile,
        {{ json_text('series_labels', '$.modelName') }}                         as model_name,
        {{ serving_label_columns('series_labels') }},
        instance,
        series_labels,
        {{ workload_of('pod', 'series_labels') }}                                as service,
        {{ series_key('metric', 'gpu_uuid', 'gpu_i_id', 'pod', labels_key('series_labels')) }} as series_key
    -- raw.prometheus_series is written by the same load as the points (one op, two assets)
    from {{ source('telemetry', 'prometheus_series') }}

),

prom_series_shared as {{ inlined_cte() }} (

    -- whether another series of the metric has the same key (NULL keys count as one key, as a window's would)
    select *, count(*) over (partition by metric, series_key) > 1 as key_shared
    from prom_series

),

prom_points as {{ inlined_cte() }} (

    -- the columns in the order of the scraped points' (Spark unions by position)
    select p.sample_time, p.metric, s.* {{ star_except() }} (series_id, metric, service, series_key, key_shared),
           s.service, s.series_key, p.value, s.key_shared
    from {{ source('telemetry', 'prometheus_samples') }} as p
    join prom_series_shared as s using (series_id)

),

prom as (

    select * {{ star_except() }} (key_shared) from prom_points where not key_shared
    {{ union_all_by_name() }}
    select * {{ star_except() }} (key_shared) from prom_points where key_shared
    qualify row_number() over (partition by metric, series_key, sample_time order by value) = 1

),

gpu_scraped as (

    select
        sample_time, metric, hostname, gpu_uuid, gpu_i_id, pod, namespace, gpu_i_profile, model_name,
        cast(null as string) as served_model, cast(null as string) as finished_reason, cast(null as string) as le,
        cast(null as string) as instance,
        {{ json_object([('UUID', 'gpu_uuid'), ('GPU_I_ID', 'gpu_i_id'), ('pod', 'pod')]) }} as series_labels,
        {{ workload_of('pod') }} as service,
        {{ series_key('metric', 'gpu_uuid', 'gpu_i_id', 'pod', 'cast(null as string)') }} as series_key,
        value
    from {{ source('telemetry', 'dcgm_samples') }}

),

serving_scraped as (

    select
        sample_time, metric, cast(null as string) as hostname, cast(null as string) as gpu_uuid,
        cast(null as string) as gpu_i_id, pod,
        coalesce({{ json_text('series_labels', '$.exported_namespace') }},
                 {{ json_text('series_labels', '$.namespace') }})             as namespace,
        cast(null as string) as gpu_i_profile,
        cast(null as string) as model_name,
        {{ serving_label_columns('series_labels') }},
        instance,
        series_labels,
        coalesce(service, {{ workload_of('pod', 'series_labels') }})              as service,
        {{ series_key('metric', 'cast(null as string)', 'cast(null as string)', 'pod', labels_key('series_labels')) }} as series_key,
        value
    from {{ source('telemetry', 'serving_samples') }}

),

scraped_points as {{ inlined_cte() }} (

    select * from gpu_scraped
    {{ union_all_by_name() }}
    select * from serving_scraped

),

scraped as {{ inlined_cte() }} (

    select * from scraped_points
    qualify row_number() over (partition by metric, series_key, sample_time order by value) = 1

),

-- the scraped points Prometheus also holds: an inner join, so DuckDB hashes the (few) scrapes and reads only the
-- Prometheus row groups within their times
held_by_prometheus as {{ inlined_cte() }} (

    select s.metric, s.series_key, s.sample_time
    from scraped as s
    join prom_points as p
      on p.metric = s.metric and p.series_key is not distinct from s.series_key and p.sample_time = s.sample_time

)

select * from prom
{{ union_all_by_name() }}
select scraped.* from scraped
{{ anti_join() }} held_by_prometheus as h
  on h.metric = scraped.metric and h.series_key is not distinct from scraped.series_key
 and h.sample_time = scraped.sample_time
