{#
  The sources on each engine. DuckDB: the warehouse file's own raw tables. Spark: every source (and audit.loads,
  which the incremental models read) is a table over its folder of the Parquet lake, declared again at the start of
  each run so that it sees the partitions published since (dropping such a table removes no file).
#}
{% macro register_lake_sources() -%}
    {{- return(adapter.dispatch('register_lake_sources', 'infraledger')()) -}}
{%- endmacro %}

{% macro default__register_lake_sources() -%}
{%- endmacro %}

{% macro spark__register_lake_sources() -%}
    {%- if execute -%}
        {%- set lake = env_var('INFRALEDGER_LAKE_LOCATION') -%}
        {%- set tables = [('audit', 'loads')] -%}
        {%- for node in graph.sources.values() -%}
            {%- do tables.append((node.schema, node.identifier)) -%}
        {%- endfor -%}
        {%- for schema in tables | map(attribute=0) | unique -%}
            {%- do run_query('create database if not exists ' ~ schema) -%}
        {%- endfor -%}
        {%- for schema, name in tables | unique -%}
            {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ name) -%}
            {%- do run_query('create table ' ~ schema ~ '.' ~ name ~ " using parquet location '" ~ lake ~ '/' ~ schema
                              ~ '/' ~ name ~ "'") -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
