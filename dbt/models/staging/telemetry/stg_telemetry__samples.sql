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
with prom_series as (

    select
        series_id, hostname, gpu_uuid, gpu_i_id, pod,
        -- behind a ServiceMonitor the workload's namespace is exported_namespace (as its pod is exported_pod)
        coalesce(json_extract_string(series_labels, '$.exported_namespace'),
                 json_extract_string(series_labels, '$.namespace'))             as namespace,
        json_extract_string(series_labels, '$.GPU_I_PROFILE')                   as gpu_i_profile,
        json_extract_string(series_labels, '$.modelName')                       as model_name,
        {{ serving_label_columns('series_labels') }},
        instance,
        series_labels,
        {{ workload_of('pod', 'series_labels') }}                                as service,
        {{ labels_key('series_labels') }}                                       as labels_key
    -- raw.prometheus_series is written by the same load as the points (one op, two assets)
    from {{ source('telemetry', 'prometheus_series') }}

),

prom as (

    select p.sample_time, p.metric, s.* exclude (series_id, service, labels_key), p.value, s.service, s.labels_key,
           1 as source_rank
    from {{ source('telemetry', 'prometheus_samples') }} as p
    join prom_series as s using (series_id)

),

gpu_scraped as (

    select
        sample_time, metric, hostname, gpu_uuid, gpu_i_id, pod, namespace, gpu_i_profile, model_name,
        cast(null as varchar) as served_model, cast(null as varchar) as finished_reason, cast(null as varchar) as le,
        cast(null as varchar) as instance,
        to_json({'UUID': gpu_uuid, 'GPU_I_ID': gpu_i_id, 'pod': pod}) as series_labels,
        {{ workload_of('pod') }} as service,
        cast(null as varchar) as labels_key,   -- DCGM series are keyed by GPU, instance and pod
        value,
        2                                                                       as source_rank
    from {{ source('telemetry', 'dcgm_samples') }}

),

serving_scraped as (

    select
        sample_time, metric, cast(null as varchar) as hostname, cast(null as varchar) as gpu_uuid,
        cast(null as varchar) as gpu_i_id, pod,
        coalesce(json_extract_string(series_labels, '$.exported_namespace'),
                 json_extract_string(series_labels, '$.namespace'))             as namespace,
        cast(null as varchar) as gpu_i_profile,
        cast(null as varchar) as model_name,
        {{ serving_label_columns('series_labels') }},
        instance,
        series_labels,
        coalesce(service, {{ workload_of('pod', 'series_labels') }})              as service,
        {{ labels_key('series_labels') }}                                       as labels_key,
        value,
        2                                                                       as source_rank
    from {{ source('telemetry', 'serving_samples') }}

),

unioned as (

    select * from prom
    union all by name
    select * from gpu_scraped
    union all by name
    select * from serving_scraped

),

keyed as (

    select
        * exclude (labels_key),
        case
            when metric in ('DCGM_FI_DEV_POWER_USAGE', 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION') then gpu_uuid
            when metric like 'DCGM_%' then gpu_uuid || '|' || coalesce(gpu_i_id, '') || '|' || coalesce(pod, '')
            else labels_key
        end as series_key
    from unioned

)

select * exclude (source_rank)
from keyed
qualify row_number() over (partition by metric, series_key, sample_time order by source_rank) = 1
