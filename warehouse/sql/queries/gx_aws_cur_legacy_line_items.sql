-- Rows the great-expectations suite aws_cur_legacy_line_items validates: the billing period of the latest successful load.
select * exclude (cost_category, discount, product, resource_tags)
from raw.aws_cur_legacy_line_items
where _billing_period = $partition
