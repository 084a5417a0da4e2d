-- The columns of one delivered Parquet file (its schema, without reading the rows).
describe select * from read_parquet($path, hive_partitioning = false)
