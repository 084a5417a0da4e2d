{#-
  Generic test: the combination of `columns` is unique in the model (no dbt_utils needed).
  Incremental models: with `rebuilt_day_column`, only the days the latest build wrote are read (from the first day
  among the rows with the newest _built_at; a full build writes every day), since the days before were tested when
  they were built and no build changes them again.
  Staging of telemetry: with `telemetry_day_column`, only the days whose telemetry changed since the last tested
  build are read (telemetry_tested_from): a daily build tests a day of points, not the whole history.
-#}
{% test unique_combination(model, columns, rebuilt_day_column=none, telemetry_day_column=none) %}
{%- set tested_from = telemetry_tested_from() if telemetry_day_column else none %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
{%- if rebuilt_day_column %}
where {{ rebuilt_day_column }} >= (
    select min({{ rebuilt_day_column }}) from {{ model }}
    where _built_at = (select max(_built_at) from {{ model }})
)
{%- elif tested_from %}
where {{ telemetry_day_column }} >= date '{{ tested_from }}'
{%- endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
