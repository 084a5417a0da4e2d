select coalesce(sum(len(s."values")), 0) from _prom_answers
