-- Requests and tokens by service (vLLM / Triton)
select service, round(sum(requests)) as requests, round(sum(prompt_tokens) / 1e6, 1) as prompt_mtok,
       round(sum(generation_tokens) / 1e6, 1) as generation_mtok,
       round(max(latency_p99_s), 2) as worst_hour_p99_s, sum(counter_resets) as counter_resets
from marts.fct_requests_hourly group by all order by requests desc
