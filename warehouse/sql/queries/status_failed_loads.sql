-- (source, partition) whose latest load attempt did not succeed, with that attempt's status.
select source, partition_key, arg_max(status, started_at)
from audit.loads
group by 1, 2
having arg_max(status, started_at) <> 'success'
order by 1, 2
