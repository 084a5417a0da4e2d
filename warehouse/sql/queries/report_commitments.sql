-- Commitments of a month ($month = 'YYYY-MM'): commitment, used, unused, utilization and net savings per plan (an
-- AWS ARN by its last part, a GCP committed use discount by its region and fee SKU).
select case when commitment_id like 'arn:%' then regexp_extract(commitment_id, '[^/:]+$')
            else commitment_id end                                                 as plan,
       commitment_type                                                             as kind,
       billing_currency                                                            as currency,
       sum(commitment_hours)                                                       as hours,
       round(sum(commitment_cost), 2)                                              as commitment,
       round(sum(used_commitment), 2)                                              as used,
       round(sum(unused_commitment), 2)                                            as unused,
       round(cast(sum(used_commitment) as double) / nullif(cast(sum(commitment_cost) as double), 0), 4)
                                                                                   as utilization,
       round(sum(net_savings), 2)                                                  as net_savings
from marts.fct_commitment_daily
where strftime(charge_date, '%Y-%m') = $month
group by all
order by commitment desc, plan
