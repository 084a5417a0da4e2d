{#
  Telemetry models that grow with history rebuild only the days whose raw rows were loaded after their last build
  (_loaded_at of raw.prometheus_samples / dcgm_samples / serving_samples against the model's _built_at): a daily run
  costs a day, a re-loaded or backfilled day is rebuilt, and a first build or `dbt build --full-refresh` builds all.
  telemetry_changed_from() returns that first day ('YYYY-MM-DD'), a day after the last raw row when nothing changed,
  or none when the model is not built incrementally.
#}
{% macro telemetry_changed_from() -%}
    {%- if not (execute and is_incremental()) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set raw = source('telemetry', 'prometheus_samples').schema -%}
    {%- set query -%}
        with built as (select coalesce(max(_built_at), '-infinity'::timestamptz) as built_at from {{ this }})
        select cast(coalesce(min(day), current_date + 1) as varchar) from (
            select min(sample_time)::date as day from {{ raw }}.prometheus_samples where _loaded_at > (select built_at from built)
            union all
            select min(sample_time)::date from {{ raw }}.dcgm_samples where _loaded_at > (select built_at from built)
            union all
            select min(sample_time)::date from {{ raw }}.serving_samples where _loaded_at > (select built_at from built)
        )
    {%- endset -%}
    {{- return(run_query(query).columns[0].values()[0]) -}}
{%- endmacro %}
