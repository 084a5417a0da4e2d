{#-
  Generic test: the combination of `columns` is unique in the model (no dbt_utils needed). With
  `telemetry_day_column`, only the days whose telemetry changed since the last tested build are read
  (telemetry_tested_from): a daily build tests a day of points, not the whole history.
-#}
{% test unique_combination(model, columns, telemetry_day_column=none) %}
{%- set tested_from = telemetry_tested_from() if telemetry_day_column else none %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
{%- if tested_from %}
where {{ telemetry_day_column }} >= date '{{ tested_from }}'
{%- endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
