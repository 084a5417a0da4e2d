-- Rows judged, rows rejected, and identical rows that loaded (FOCUS rows carry no line-item identity).
select count(*), count(_reason), count(*) filter (_dup_rank > 1 and _reason is null) from _focus_judged
