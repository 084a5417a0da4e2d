-- Rows the great-expectations suite fct_commitment_recommendation validates: all of them (one per region and GPU).
select * from marts.fct_commitment_recommendation
