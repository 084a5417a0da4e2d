{#
  What DuckDB and Spark SQL spell differently, one macro each (dbt's own cross-database macros cover the rest:
  dbt.dateadd, dbt.datediff, dbt.type_string, ...). default__ is DuckDB's form; spark__ is Spark 4's.
#}

{# true where `text` contains a match of the regular expression `pattern` (RE2 on DuckDB, Java's on Spark) #}
{% macro regexp_contains(text, pattern) -%}
    {{- return(adapter.dispatch('regexp_contains', 'infraledger')(text, pattern)) -}}
{%- endmacro %}
{% macro default__regexp_contains(text, pattern) -%} regexp_matches({{ text }}, {{ pattern }}) {%- endmacro %}
{% macro spark__regexp_contains(text, pattern) -%} ({{ text }} rlike {{ pattern }}) {%- endmacro %}

{# seconds since 1970-01-01 UTC of a timestamp, fractional (or the seconds of an interval) #}
{% macro epoch_seconds(ts) -%}
    {{- return(adapter.dispatch('epoch_seconds', 'infraledger')(ts)) -}}
{%- endmacro %}
{% macro default__epoch_seconds(ts) -%} epoch({{ ts }}) {%- endmacro %}
{% macro spark__epoch_seconds(ts) -%} (unix_micros({{ ts }}) / 1e6) {%- endmacro %}

{# seconds between two timestamps, fractional (later minus earlier) #}
{% macro seconds_between(earlier, later) -%}
    {{- return(adapter.dispatch('seconds_between', 'infraledger')(earlier, later)) -}}
{%- endmacro %}
{% macro default__seconds_between(earlier, later) -%} epoch({{ later }} - {{ earlier }}) {%- endmacro %}
{% macro spark__seconds_between(earlier, later) -%}
    ((unix_micros({{ later }}) - unix_micros({{ earlier }})) / 1e6)
{%- endmacro %}

{# the keyword that leaves columns out of a star: select * exclude (a) on DuckDB, select * except (a) on Spark #}
{% macro star_except() -%}
    {{- return(adapter.dispatch('star_except', 'infraledger')()) -}}
{%- endmacro %}
{% macro default__star_except() -%} exclude {%- endmacro %}
{% macro spark__star_except() -%} except {%- endmacro %}

{# a JSON object's member as text ('$.key' paths); the column is JSON on DuckDB, its text in the lake #}
{% macro json_text(json, path) -%}
    {{- return(adapter.dispatch('json_text', 'infraledger')(json, path)) -}}
{%- endmacro %}
{% macro default__json_text(json, path) -%} json_extract_string({{ json }}, '{{ path }}') {%- endmacro %}
{% macro spark__json_text(json, path) -%}
    {#- a quoted key ('$."app.kubernetes.io/name"') is Spark's bracket form, where a dot is part of the name -#}
    {%- if path.startswith('$."') -%}
    get_json_object({{ json }}, "$['{{ path[3:-1] }}']")
    {%- else -%}
    get_json_object({{ json }}, '{{ path }}')
    {%- endif -%}
{%- endmacro %}

{# a JSON object of text members from (key, value expression) pairs; a NULL value is written as null #}
{% macro json_object(pairs) -%}
    {{- return(adapter.dispatch('json_object', 'infraledger')(pairs)) -}}
{%- endmacro %}
{% macro default__json_object(pairs) -%}
    to_json({ {%- for key, value in pairs %}'{{ key }}': {{ value }}{{ ', ' if not loop.last }}{% endfor -%} })
{%- endmacro %}
{% macro spark__json_object(pairs) -%}
    to_json(map({%- for key, value in pairs %}'{{ key }}', {{ value }}{{ ', ' if not loop.last }}{% endfor -%}))
{%- endmacro %}

{# a JSON array of {"key": ..., "value": ...} objects (GCP labels) as a map; an absent array is an empty map #}
{% macro json_key_value_map(json) -%}
    {{- return(adapter.dispatch('json_key_value_map', 'infraledger')(json)) -}}
{%- endmacro %}
{% macro default__json_key_value_map(json) -%}
    map_from_entries(coalesce(try_cast({{ json }} as struct("key" varchar, "value" varchar)[]), []))
{%- endmacro %}
{% macro spark__json_key_value_map(json) -%}
    map_from_entries(coalesce(from_json({{ json }}, 'array<struct<key:string,value:string>>'), array()))
{%- endmacro %}

{# a JSON object of text values (FOCUS Tags) as a map; absent or malformed is an empty map #}
{% macro json_text_map(json) -%}
    {{- return(adapter.dispatch('json_text_map', 'infraledger')(json)) -}}
{%- endmacro %}
{% macro default__json_text_map(json) -%}
    coalesce(try_cast({{ json }} as map(varchar, varchar)), map())
{%- endmacro %}
{% macro spark__json_text_map(json) -%}
    coalesce(from_json({{ json }}, 'map<string,string>'), map())
{%- endmacro %}

{# Σ amount of a JSON array of {"type", "amount"} objects (GCP credits) whose type is `credit_type` #}
{% macro json_credits_of_type(json, credit_type) -%}
    {{- return(adapter.dispatch('json_credits_of_type', 'infraledger')(json, credit_type)) -}}
{%- endmacro %}
{% macro default__json_credits_of_type(json, credit_type) -%}
    coalesce(list_sum([c.amount for c in from_json({{ json }}, '[{"type": "VARCHAR", "amount": "DECIMAL(38, 10)"}]')
                       if c.type = '{{ credit_type }}']), 0)
{%- endmacro %}
{% macro spark__json_credits_of_type(json, credit_type) -%}
    aggregate(filter(coalesce(from_json({{ json }}, 'array<struct<type:string,amount:decimal(38,10)>>'), array()),
                     c -> c.type = '{{ credit_type }}'),
              cast(0 as decimal(38, 10)), (acc, c) -> cast(acc + c.amount as decimal(38, 10)))
{%- endmacro %}

{# a CTE the optimizer may inline (DuckDB would otherwise compute a CTE used twice once, in memory) #}
{% macro inlined_cte() -%}
    {{- return(adapter.dispatch('inlined_cte', 'infraledger')()) -}}
{%- endmacro %}
{% macro default__inlined_cte() -%} not materialized {%- endmacro %}
{% macro spark__inlined_cte() -%} {%- endmacro %}

{# the rows of a query whose key has no match in another: DuckDB's anti join, Spark's left anti join #}
{% macro anti_join() -%}
    {{- return(adapter.dispatch('anti_join', 'infraledger')()) -}}
{%- endmacro %}
{% macro default__anti_join() -%} anti join {%- endmacro %}
{% macro spark__anti_join() -%} left anti join {%- endmacro %}

{# the exact quantile of a group, linear between the two nearest values (DuckDB quantile_cont) #}
{% macro quantile_linear(expr, fraction) -%}
    {{- return(adapter.dispatch('quantile_linear', 'infraledger')(expr, fraction)) -}}
{%- endmacro %}
{#- in DOUBLE on both engines (DuckDB interpolates a DECIMAL as DECIMAL, Spark always as DOUBLE) -#}
{% macro default__quantile_linear(expr, fraction) -%} quantile_cont(cast({{ expr }} as double), {{ fraction }}) {%- endmacro %}
{% macro spark__quantile_linear(expr, fraction) -%} percentile(cast({{ expr }} as double), {{ fraction }}) {%- endmacro %}

{# one row per value of a list literal, as column `name`: select {{ values_of('[1, 2]', 'x') }} #}
{% macro unnest_list(items) -%}
    {{- return(adapter.dispatch('unnest_list', 'infraledger')(items)) -}}
{%- endmacro %}
{% macro default__unnest_list(items) -%} unnest([{{ items | join(', ') }}]) {%- endmacro %}
{% macro spark__unnest_list(items) -%} explode(array({{ items | join(', ') }})) {%- endmacro %}

{# one row per step from `start` to `stop` (both included), as a set-returning select expression #}
{% macro series(start, stop, step) -%}
    {{- return(adapter.dispatch('series', 'infraledger')(start, stop, step)) -}}
{%- endmacro %}
{% macro default__series(start, stop, step) -%} unnest(generate_series({{ start }}, {{ stop }}, {{ step }})) {%- endmacro %}
{% macro spark__series(start, stop, step) -%}
    explode(case when {{ start }} <= {{ stop }} then sequence({{ start }}, {{ stop }}, {{ step }}) end)
{%- endmacro %}

{# a timestamp plus a number of microseconds #}
{% macro add_microseconds(ts, micros) -%}
    {{- return(adapter.dispatch('add_microseconds', 'infraledger')(ts, micros)) -}}
{%- endmacro %}
{% macro default__add_microseconds(ts, micros) -%} ({{ ts }} + to_microseconds({{ micros }})) {%- endmacro %}
{% macro spark__add_microseconds(ts, micros) -%} timestamp_micros(unix_micros({{ ts }}) + {{ micros }}) {%- endmacro %}

{# the same series as a table joined beside the rows it is computed from (`cross join … as t(x)` or `, … as t(x)`) #}
{% macro lateral_series(start, stop, step) -%}
    {{- return(adapter.dispatch('lateral_series', 'infraledger')(start, stop, step)) -}}
{%- endmacro %}
{% macro default__lateral_series(start, stop, step) -%} unnest(generate_series({{ start }}, {{ stop }}, {{ step }})) {%- endmacro %}
{% macro spark__lateral_series(start, stop, step) -%}
    lateral explode(case when {{ start }} <= {{ stop }} then sequence({{ start }}, {{ stop }}, {{ step }}) end)
{%- endmacro %}

{#
  UNION ALL of two selects with the same columns. DuckDB matches them by name; Spark SQL has no such operator and
  matches by position, so a caller on Spark must select the same columns in the same order on both sides (the
  parity test compares every mart both engines build).
#}
{% macro union_all_by_name() -%}
    {{- return(adapter.dispatch('union_all_by_name', 'infraledger')()) -}}
{%- endmacro %}
{% macro default__union_all_by_name() -%} union all by name {%- endmacro %}
{% macro spark__union_all_by_name() -%} union all {%- endmacro %}

{# a value of the group, NULL only where all are (DuckDB's any_value skips NULLs; Spark's does when asked) #}
{% macro any_non_null(expr) -%}
    {{- return(adapter.dispatch('any_non_null', 'infraledger')(expr)) -}}
{%- endmacro %}
{% macro default__any_non_null(expr) -%} any_value({{ expr }}) {%- endmacro %}
{% macro spark__any_non_null(expr) -%} any_value({{ expr }}, true) {%- endmacro %}

{# the values of a group joined by `separator`, in the order of `order_by` #}
{% macro string_agg_ordered(expr, separator, order_by) -%}
    {{- return(adapter.dispatch('string_agg_ordered', 'infraledger')(expr, separator, order_by)) -}}
{%- endmacro %}
{% macro default__string_agg_ordered(expr, separator, order_by) -%}
    string_agg({{ expr }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}
{% macro spark__string_agg_ordered(expr, separator, order_by) -%}
    string_agg({{ expr }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}

{# the distinct values of a group joined by `separator`, in ascending order #}
{% macro sorted_distinct_join(expr, separator) -%}
    {{- return(adapter.dispatch('sorted_distinct_join', 'infraledger')(expr, separator)) -}}
{%- endmacro %}
{% macro default__sorted_distinct_join(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ separator }} order by {{ expr }})
{%- endmacro %}
{% macro spark__sorted_distinct_join(expr, separator) -%}
    array_join(array_sort(collect_set({{ expr }})), {{ separator }})
{%- endmacro %}
