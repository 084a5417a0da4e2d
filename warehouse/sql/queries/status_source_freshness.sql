-- Per source, its last successful load and the rows that load added, stalest first.
select source, max(finished_at), arg_max(rows_loaded, finished_at)
from audit.loads
where status = 'success'
group by 1
order by 2
