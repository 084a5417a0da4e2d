-- Later copies of a line item (identity_line_item_id + identity_time_interval): only keys that occur more than
-- once are ranked, and each later copy names the file and row of the first.
create or replace temp table _cur_dups as
with keys as (
    select identity_line_item_id as id, identity_time_interval as iv, filename, file_row_number
    from _cur_stage
), repeated as (
    select id, iv from keys group by id, iv having count(*) > 1
)
select filename, file_row_number, first_file, first_row from (
    select k.filename, k.file_row_number,
           row_number() over w as rank,
           first(k.filename) over w as first_file,
           first(k.file_row_number) over w as first_row
    from keys k semi join repeated r on k.id is not distinct from r.id and k.iv is not distinct from r.iv
    window w as (partition by k.id, k.iv order by k.filename, k.file_row_number
                 rows between unbounded preceding and unbounded following)
) where rank > 1
