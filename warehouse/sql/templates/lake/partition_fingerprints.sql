{% from 'lake/_partition.sql' import partition_value %}
-- One fingerprint per partition of a raw, audit or quarantine table: rows and a hash of what the loads wrote (the
-- load ids where the table has them, every row otherwise). A partition whose fingerprint changed is published again.
select
    {% if spec %}{{ partition_value(spec) }}{% else %}''{% endif %} as part,
    count(*) as row_count,
    coalesce({% if by_load_id %}bit_xor(hash(_load_id)){% else %}bit_xor(hash(t)){% endif %}, 0) as fingerprint
from {{ table | relation }} as t
group by all
