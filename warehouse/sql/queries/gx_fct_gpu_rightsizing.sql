-- Rows the great-expectations suite fct_gpu_rightsizing validates: the mart is one look-back window already.
select *
from marts.fct_gpu_rightsizing
