-- CUR 2.0 line items of every billing period loaded.
select count(*) from raw.aws_cur_line_items
