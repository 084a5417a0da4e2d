-- Training runs that overlap a month ($month = 'YYYY-MM'): GPU-hours, cost, steps, cost per 1,000 steps and per
-- million tokens, time to train.
select job,
       currency,
       started_at,
       round(wall_hours, 1)                                                         as wall_hours,
       round(gpu_hours, 1)                                                          as gpu_hours,
       round(cost, 2)                                                               as cost,
       steps,
       round(cost_per_1k_steps, 4)                                                  as per_1k_steps,
       round(cost_per_1m_tokens, 4)                                                 as per_1m_tokens,
       round(time_to_train_hours, 1)                                                as time_to_train_hours
from marts.fct_training_runs
where strftime(started_at, '%Y-%m') <= $month and strftime(ended_at, '%Y-%m') >= $month
order by started_at, job
