{% from 'lake/_partition.sql' import partition_value %}
-- One partition of a table as one Parquet file (portable types: JSON as text; the partition's value is the folder's
-- name, not a column of the file). An empty table still writes its schema.
copy (
    select * {% if portable %}replace ({% for c in portable %}cast({{ c | ident }} as varchar) as {{ c | ident }}{% if not loop.last %}, {% endif %}{% endfor %}){% endif %}
    from {{ table | relation }} as t
    {% if spec and part is not none %}where {{ partition_value(spec) }} = $part{% endif %}
) to {{ path | literal }} (format parquet, compression zstd)
