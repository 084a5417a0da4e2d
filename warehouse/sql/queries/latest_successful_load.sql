-- The partition and load id of a source's latest successful load (the rows a raw GX suite validates).
select partition_key, load_id
from audit.loads
where source = $source and status = 'success'
order by finished_at desc
limit 1
