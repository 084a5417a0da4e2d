-- CUR 2.0 line items of one billing period whose (line item id, time interval) occurs more than once.
select count(*)
from (
    select 1
    from raw.aws_cur_line_items
    where _billing_period = $period
    group by identity_line_item_id, identity_time_interval
    having count(*) > 1
)
