{#- The (file, row) of every staged row that cannot load, with the reason: no identity, a value not readable as
    its column's type (checked only where the file's type differs from the table's), no cost or currency, or a
    later copy of a line item. `columns`: the table's columns with `name`, `type` and `check`. -#}
create or replace temp table _cur_rejects as
select * from (
    select s.filename, s.file_row_number,
           case
               when identity_line_item_id is null or identity_line_item_id = '' then 'missing identity_line_item_id'
               when identity_time_interval is null then 'missing identity_time_interval'
{% for c in columns if c.check %}
               when {{ c.name | ident }} is not null and try_cast({{ c.name | ident }} as {{ c.type | sqltype }}) is null
                   then {{ ('column ' ~ c.name ~ ': value not readable as ' ~ c.type) | literal }}
{% endfor %}
               when line_item_unblended_cost is null then 'missing line_item_unblended_cost'
               when line_item_currency_code is null or line_item_currency_code = '' then 'missing line_item_currency_code'
               when d.first_file is not null
                   then 'duplicate line item: identity_line_item_id and identity_time_interval already loaded from '
                        || d.first_file || ' row ' || d.first_row::varchar
           end as _reason
    from _cur_stage s left join _cur_dups d using (filename, file_row_number)
) where _reason is not null
