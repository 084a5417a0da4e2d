-- Rows read (as the source totals counted them) and rows rejected.
select (select coalesce(sum(rows_read), 0) from audit.source_totals where load_id = $load_id),
       (select count(*) from _cur_rejects)
