-- The warehouse's clock (one _loaded_at for every row of a load).
select now()
