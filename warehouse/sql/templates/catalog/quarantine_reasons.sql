-- One quarantine table's rows per partition and reason (the reason's "from <file> row <n>" tail left out).
select partition_key, regexp_replace(reason, ' from .*$', ''), count(*) from quarantine.{{ table | ident }} group by all
