-- The columns and types of one FOCUS Parquet file.
describe select * from read_parquet($path)
