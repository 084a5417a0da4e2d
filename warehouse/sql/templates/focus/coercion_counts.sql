-- How often each coercion was needed among the loaded rows.
select c, count(*) from (select unnest(_coercions) as c from _focus_judged where _reason is null)
group by c order by c
