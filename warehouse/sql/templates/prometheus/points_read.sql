select count(*) from _prom_points
