-- The load's temporary tables and the stage go once the rows are in.
drop table if exists _cur_rejects;
drop table if exists _cur_dups;
drop {% if stage_is_view %}view{% else %}table{% endif %} if exists _cur_stage
