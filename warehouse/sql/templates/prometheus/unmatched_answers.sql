-- An answer whose file name DuckDB reports differently from the path it was given would belong to no part.
select filename from _prom_answers where part is null limit 1
