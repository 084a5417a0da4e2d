-- A repeat inside the batch is quarantined (the first copy loads); a row already in the warehouse is skipped.
create or replace temp table _gcp_judged2 as
select *, coalesce(_invalid, case when not _present and _dup_rank > 1
                                  then 'duplicate row: identical values earlier in this batch' end) as _reason
from _gcp_judged
