-- A row whose values came earlier in this batch (by file, then line) is a repeat: the first copy loads, the others
-- are quarantined (a row already in the warehouse is skipped, not quarantined). Only the hashes seen more than once
-- are ranked: ranking every row in a window carried the whole wide row through it (~0.7 s of 500k rows).
update _gcp_judged j
set _reason = 'duplicate row: identical values earlier in this batch'
from (
    select _row_hash, min({'filename': filename, 'line': file_row_number}) as first
    from _gcp_judged
    group by _row_hash
    having count(*) > 1
) d
where j._row_hash = d._row_hash and j._reason is null and not j._present
  and {'filename': j.filename, 'line': j.file_row_number} <> d.first
