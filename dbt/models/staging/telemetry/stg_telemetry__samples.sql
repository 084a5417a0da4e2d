-- Every telemetry point in one shape, from Prometheus history and from dcgm-exporter scrapes, once per series and
-- time. A series is identified by what it measures, not by who scraped it: a GPU metric by GPU UUID and MIG
-- instance, any other metric by its labels without the scrape's own (instance, job).
with prom as (

    select
        sample_time, metric, hostname, gpu_uuid, gpu_i_id, pod,
        json_extract_string(series_labels, '$.modelName')       as model_name,
        json_extract_string(series_labels, '$.model_name')      as served_model,
        json_extract_string(series_labels, '$.finished_reason') as finished_reason,
        json_extract_string(series_labels, '$.le')              as le,
        series_labels,
        value,
        1                                                       as source_rank
    from {{ source('telemetry', 'prometheus_samples') }}

),

scraped as (

    select
        sample_time, metric, hostname, gpu_uuid, gpu_i_id, pod, model_name,
        cast(null as varchar) as served_model, cast(null as varchar) as finished_reason, cast(null as varchar) as le,
        to_json({'UUID': gpu_uuid, 'GPU_I_ID': gpu_i_id, 'pod': pod}) as series_labels,
        value,
        2                                                       as source_rank
    from {{ source('telemetry', 'dcgm_samples') }}

),

unioned as (

    select * from prom
    union all by name
    select * from scraped

),

keyed as (

    select
        *,
        case
            when metric like 'DCGM_%' then gpu_uuid || '|' || coalesce(gpu_i_id, '')
            else md5(cast(json(series_labels) as varchar))
        end as series_key
    from unioned

)

select * exclude (source_rank)
from keyed
qualify row_number() over (partition by metric, series_key, sample_time order by source_rank) = 1
