-- Egress of the month by class, sending side only (inbound rows are the receiving side of a transfer).
select egress_class, sum(gb)
from marts.fct_egress_daily
where strftime(day, '%Y-%m') = $month and egress_class <> 'inbound'
group by 1
order by 2 desc
