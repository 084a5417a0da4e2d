{#
  Models that grow with history rebuild only the days whose raw rows were loaded after their last build (the raw
  tables' _loaded_at against the model's _built_at): a daily run costs a day, a re-loaded or backfilled day is
  rebuilt, and a first build or `dbt build --full-refresh` builds all.
  changed_from(time_column, relations) returns that first day ('YYYY-MM-DD'), a day after today when nothing
  changed, or none when the model is not built incrementally.
#}
{% macro changed_from(time_column, relations, load_tables=[]) -%}
    {%- if not (execute and is_incremental()) -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(changed_since(time_column, relations, load_tables, [this])) -}}
{%- endmacro %}

{# The first day ('YYYY-MM-DD') with raw rows loaded after the oldest last build of `built` (relations with _built_at). #}
{% macro changed_since(time_column, relations, load_tables, built) -%}
    {%- set query -%}
        with built as (
            select coalesce(min(built_at), {{ no_time() }}) as built_at from (
                {%- for relation in built %}
                {% if not loop.first %}union all {% endif -%}
                select coalesce(max(_built_at), {{ no_time() }}) as built_at from {{ relation }}
                {%- endfor %}
            )
        )
        select cast(coalesce(min(day), cast({{ dbt.dateadd('day', 1, 'current_date') }} as date)) as string) from (
            {%- for relation in relations %}
            {% if not loop.first %}union all {% endif -%}
            select cast(min({{ time_column }}) as date) as day from {{ relation }} where _loaded_at > (select built_at from built)
            {%- endfor %}
            {%- if load_tables %}
            -- a day replaced by a load that brought no rows leaves no raw row to find: the load says which day
            union all
            select min(try_cast(regexp_extract(partition_key, '([0-9]{4}-[0-9]{2}-[0-9]{2})$', 1) as date))
            from audit.loads
            where target_table in ('{{ load_tables | join("', '") }}') and status = 'success'
              and finished_at > (select built_at from built) and coalesce(rows_replaced, 0) > 0
            {%- endif %}
        )
    {%- endset -%}
    {{- return(run_query(query).columns[0].values()[0]) -}}
{%- endmacro %}

{#
  Pre-hook of the incremental models: drop every row from the first changed day on, since the build re-inserts all
  of those days from the raw rows; a day whose raw rows are gone is then gone from the model too (delete+insert
  alone only replaces the days present in the new rows).
#}
{% macro clear_rebuilt_days(day_column, changed_from) -%}
    {{- return(adapter.dispatch('clear_rebuilt_days', 'infraledger')(day_column, changed_from)) -}}
{%- endmacro %}

{% macro default__clear_rebuilt_days(day_column, changed_from) -%}
    {%- if changed_from -%}
        delete from {{ this }} where {{ day_column }} >= date '{{ changed_from }}'
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{# Spark: insert_overwrite replaces each day partition the build writes; nothing is deleted first (a day whose raw
   rows are all gone keeps its old partition until a --full-refresh). #}
{% macro spark__clear_rebuilt_days(day_column, changed_from) -%}
    select 1
{%- endmacro %}

{# The incremental strategy of the models rebuilt by day: delete+insert on DuckDB, day partitions overwritten on
   Spark (with `partition_by=day_column`). #}
{% macro by_day_strategy() -%}
    {{- return('insert_overwrite' if target.type == 'spark' else 'delete+insert') -}}
{%- endmacro %}

{# A time before every build: the last build time of a model never built. #}
{% macro no_time() -%}
    {{- return(adapter.dispatch('no_time', 'infraledger')()) -}}
{%- endmacro %}
{% macro default__no_time() -%} '-infinity'::timestamptz {%- endmacro %}
{% macro spark__no_time() -%} timestamp '0001-01-01 00:00:00' {%- endmacro %}

{# Telemetry: Prometheus history, dcgm-exporter scrapes and inference-server scrapes. #}
{% macro telemetry_raw_relations() -%}
    {%- set raw = source('telemetry', 'prometheus_samples').schema -%}
    {{- return([raw ~ '.prometheus_samples', raw ~ '.dcgm_samples', raw ~ '.serving_samples']) -}}
{%- endmacro %}

{% macro telemetry_changed_from() -%}
    {{- return(changed_from('sample_time', telemetry_raw_relations(), ['raw.prometheus_samples'])) -}}
{%- endmacro %}

{#
  The first day a data test of the telemetry staging needs to read, or none for every day. The incremental telemetry
  models are built after those tests pass (dbt build runs a model's tests before its children), so the oldest of
  their last builds is the last build whose tests passed: a point of an earlier day has not changed since (a day
  changes only when its raw rows are loaded again, which moves it into the changed days). Every day is tested on a
  first build, with --full-refresh, when a model is missing, or when a test failed (its children were skipped, so
  their _built_at stays behind).
#}
{% macro telemetry_tested_from() -%}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set built = [] -%}
    {%- for name in ['int_telemetry__gpu_hourly', 'int_telemetry__gpu_time_hourly', 'int_telemetry__counter_deltas'] -%}
        {%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                                             | selectattr('name', 'equalto', name) | first -%}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
        {%- if relation is none -%}
            {{- return(none) -}}
        {%- endif -%}
        {%- do built.append(relation) -%}
    {%- endfor -%}
    {{- return(changed_since('sample_time', telemetry_raw_relations(), ['raw.prometheus_samples'], built)) -}}
{%- endmacro %}

{# Facility power: BMS and Redfish readings. #}
{% macro power_changed_from() -%}
    {{- return(changed_from('reading_time', [source('power', 'power_readings')], ['raw.power_readings'])) -}}
{%- endmacro %}

{#
  The counter metrics present in the raw telemetry (from `since` on, when given), as a SQL list for `metric in (...)`.
  A counter is the DCGM energy register, a Prometheus *_total / *_bucket / *_count / *_sum, or a Triton
  nv_inference_* counter (not the pending-request gauge). An IN list of names, unlike the patterns, is pushed by
  DuckDB into the scans under stg_telemetry__samples, so only counter points are read.
#}
{% macro counter_metric_list(since=none) -%}
    {%- set raw = source('telemetry', 'prometheus_samples').schema -%}
    {%- set recent = ("where sample_time >= date '" ~ since ~ "'") if since else "" -%}
    {%- set query -%}
        select distinct metric from (
            select metric from {{ raw }}.prometheus_series
            union select distinct metric from {{ raw }}.dcgm_samples {{ recent }}
            union select distinct metric from {{ raw }}.serving_samples {{ recent }}
        )
        where (metric = 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION'
               or metric like '%!_total' escape '!'
               or metric like '%!_bucket' escape '!'
               or metric like '%!_count' escape '!'
               or metric like '%!_sum' escape '!'
               or metric like 'nv!_inference!_%' escape '!')
          and metric not like '%pending%'  -- nv_inference_pending_request_count is a gauge
        order by metric
    {%- endset -%}
    {%- if not execute -%}
        {{- return("(null)") -}}
    {%- endif -%}
    {%- set names = run_query(query).columns[0].values() -%}
    {%- if not names -%}
        {{- return("(null)") -}}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for name in names -%}
        {%- do quoted.append("'" ~ (name | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {{- return("(" ~ (quoted | join(", ")) ~ ")") -}}
{%- endmacro %}
