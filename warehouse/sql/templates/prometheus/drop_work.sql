drop table if exists _prom_points;
drop table if exists _prom_answers;
drop table if exists _prom_series
