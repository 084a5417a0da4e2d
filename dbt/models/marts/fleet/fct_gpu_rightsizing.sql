-- Right-sizing: per service and GPU model over the last var rightsizing_lookback_days days of telemetry (ending with
-- the newest hour of DCGM samples), the percentiles of its pods' hourly SM, tensor and DRAM activity and its peak
-- framebuffer on the whole GPUs it held alone (int_telemetry__gpu_hourly, never the points again),
-- what its GPU-hours cost (int_gpu_machine_days: its machines' amortized cost per GPU-hour, weighted by the GPU-hours
-- it held on each) and the cheapest candidate it would fit, with the monthly saving at its own purchase option.
-- Candidates: every GPU model priced in the bill or on-prem (fct_gpu_hour_price_comparison, at the service's
-- purchase option, else on demand; its memory from the seed gpu_instance_types, the smallest size) and the MIG
-- profiles of the service's own GPU (seed gpu_mig_profiles; priced at their compute share, slices/7, of what the
-- service's GPU-hour costs, as allocation charges a slice). A candidate fits when
--     peak framebuffer <= headroom x its memory   and
--     p95 SM activity x throughput(current) / throughput(candidate) <= headroom
-- (var rightsizing_headroom; var gpu_relative_throughput, a MIG slice's throughput its share of its GPU's).
-- How sure: hours_observed (hours with samples), coverage (of the look-back hours the telemetry spans) and
-- confidence: high from 168 hours at 90 % coverage, medium from 24 hours at 50 %, else low.
{% set thr = var('gpu_relative_throughput') %}
{% set headroom = var('rightsizing_headroom') %}
with bounds as (

    select until, since, greatest(1, ceil(({{ epoch_seconds("until") }} - {{ epoch_seconds("since") }}) / cast(3600 as double))) as window_hours
    from (
        select max(hour_start) + interval 1 hour as until,
               greatest(min(hour_start),
                        max(hour_start) + interval 1 hour - interval '{{ var('rightsizing_lookback_days') }} days') as since
        from {{ ref('int_telemetry__gpu_hourly') }}
    )

),

throughput as (

    select * from (values
        {% for model, t in thr.items() %}('{{ model }}', cast({{ t | float }} as double)){{ ',' if not loop.last }}{% endfor %}
    ) as t(gpu_model, relative_throughput)

),

whole as (

    -- GPU-hours one service's pods held a whole GPU (a MIG slice's or a shared GPU's activity is not its own)
    select g.hour_start, g.gpu_uuid, g.service
    from {{ ref('int_telemetry__gpu_time_hourly') }} as g, bounds as b
    where g.sharing = 'whole' and g.service is not null and g.hour_start >= b.since
    qualify count(*) over (partition by g.hour_start, g.gpu_uuid) = 1

),

usage as (

    -- percentiles of the hourly means (int_telemetry__gpu_hourly), the hourly peaks' maximum
    select
        w.service, {{ gpu_model_of('h.model_name') }} as gpu_model,
        {{ any_non_null("try_cast(regexp_extract(h.model_name, '([0-9]+)GB', 1) as integer)") }}
            filter (where {{ regexp_contains('h.model_name', "'[0-9]+GB'") }})                                     as named_memory_gib,
        count(distinct w.hour_start)                                                           as hours_observed,
        sum(h.coverage)                                                                        as gpu_hours_observed,
        {{ quantile_linear('h.avg_sm_active', "0.50") }}                                                   as p50_sm_active,
        {{ quantile_linear('h.avg_sm_active', "0.95") }}                                                   as p95_sm_active,
        {{ quantile_linear('h.avg_tensor_active', "0.95") }}                                               as p95_tensor_active,
        {{ quantile_linear('h.avg_dram_active', "0.95") }}                                                 as p95_dram_active,
        max(h.max_fb_used_mib)                                                                 as peak_fb_used_mib
    from whole as w
    join {{ ref('int_telemetry__gpu_hourly') }} as h using (hour_start, gpu_uuid)
    where {{ gpu_model_of('h.model_name') }} is not null
    group by all

),

memory as (

    select gpu_model, min(gpu_memory_gib) as memory_gib
    from {{ ref('gpu_instance_types') }}
    group by all

),

held as (

    -- GPU-hours the service held on each machine-day of the window, at that machine-day's cost and purchase option
    select h.service, m.gpu_model, m.purchase_option, m.currency,
           h.gpu_hours_held * m.gpu_hours / nullif(sum(m.gpu_hours) over (partition by h.service, h.day, h.machine), 0)
               as gpu_hours,
           m.cost / nullif(m.gpu_hours, 0) as cost_per_gpu_hour
    from {{ ref('int_telemetry__machine_gpu_time_daily') }} as h
    join {{ ref('int_gpu_machine_days') }} as m using (day, machine)
    cross join bounds as b
    where h.day >= cast(b.since as date)

),

current_cost as (

    select service, gpu_model, {{ any_non_null('currency') }} as currency,
           max_by(purchase_option, gpu_hours) as purchase_option,
           sum(gpu_hours * cost_per_gpu_hour) / nullif(sum(gpu_hours), 0) as cost_per_gpu_hour
    from (select service, gpu_model, purchase_option, currency, sum(gpu_hours) as gpu_hours,
                 sum(gpu_hours * cast(cost_per_gpu_hour as double)) / nullif(sum(gpu_hours), 0) as cost_per_gpu_hour
          from held group by all)
    group by all

),

services as (

    select
        u.*,
        coalesce(u.named_memory_gib, mem.memory_gib)                                         as memory_gib,
        c.currency, c.purchase_option, c.cost_per_gpu_hour                                   as current_cost_per_gpu_hour,
        t.relative_throughput,
        least(1.0, u.hours_observed / b.window_hours)                                        as coverage
    from usage as u
    cross join bounds as b
    left join memory as mem using (gpu_model)
    left join current_cost as c using (service, gpu_model)
    left join throughput as t using (gpu_model)

),

prices as (

    select p.gpu_model, p.purchase_option, p.currency, p.cost_per_gpu_hour
    from {{ ref('fct_gpu_hour_price_comparison') }} as p, bounds as b
    where p.month = (select max(month) from {{ ref('fct_gpu_hour_price_comparison') }}
                     where month <= cast(b.until as date)) and p.cost_per_gpu_hour is not null

),

candidates as (

    -- whole GPUs priced at the service's purchase option, else on demand
    select s.service, s.gpu_model as current_model, p.gpu_model, cast(null as string) as mig_profile,
           mem.memory_gib, t.relative_throughput,
           coalesce(own.cost_per_gpu_hour, od.cost_per_gpu_hour) as cost_per_gpu_hour
    from services as s
    join (select distinct gpu_model from prices) as p on true
    join memory as mem on mem.gpu_model = p.gpu_model
    join throughput as t on t.gpu_model = p.gpu_model
    left join prices as own on own.gpu_model = p.gpu_model and own.purchase_option = s.purchase_option
                           and own.currency = s.currency
    left join prices as od on od.gpu_model = p.gpu_model and od.purchase_option = 'on_demand'
                          and od.currency = s.currency
    where p.gpu_model <> s.gpu_model  -- the same GPU bought otherwise is a purchase question, not right-sizing
    union all
    -- MIG profiles of the service's own GPU, at their compute share of its GPU-hour
    select s.service, s.gpu_model, s.gpu_model, g.profile, g.memory_gib,
           s.relative_throughput * g.compute_slices / cast(7 as double),
           s.current_cost_per_gpu_hour * g.compute_slices / cast(7 as double)
    from services as s
    join {{ ref('gpu_mig_profiles') }} as g on g.gpu_model = s.gpu_model and g.gpu_memory_gib = s.memory_gib
    where g.compute_slices < 7

),

fitting as (

    select
        c.*,
        s.p95_sm_active * s.relative_throughput / c.relative_throughput                     as projected_p95_sm_active
    from candidates as c
    join services as s on s.service = c.service and s.gpu_model = c.current_model
    where c.cost_per_gpu_hour is not null
      and s.peak_fb_used_mib <= {{ headroom }} * c.memory_gib * 1024
      and s.p95_sm_active * s.relative_throughput / c.relative_throughput <= {{ headroom }}
      and c.cost_per_gpu_hour < s.current_cost_per_gpu_hour

),

best as (

    select * from fitting
    qualify row_number() over (partition by service, current_model
                               order by cost_per_gpu_hour, mig_profile nulls first, gpu_model) = 1

)

select
    s.service,
    s.gpu_model,
    s.memory_gib                                                                        as gpu_memory_gib,
    coalesce(s.currency, '{{ var('reporting_currency') }}')                             as currency,
    s.purchase_option,
    (select since from bounds)                                                          as window_start,
    (select until from bounds)                                                          as window_end,
    s.hours_observed,
    s.coverage,
    s.gpu_hours_observed,
    s.p50_sm_active,
    s.p95_sm_active,
    s.p95_tensor_active,
    s.p95_dram_active,
    s.peak_fb_used_mib,
    s.peak_fb_used_mib / (s.memory_gib * cast(1024 as double))                                        as peak_fb_share,
    s.current_cost_per_gpu_hour,
    case when b.service is null then 'keep'
         when b.mig_profile is not null then b.gpu_model || ' MIG ' || b.mig_profile
         else b.gpu_model end                                                           as recommendation,
    b.gpu_model                                                                         as recommended_gpu_model,
    b.mig_profile                                                                       as recommended_mig_profile,
    b.cost_per_gpu_hour                                                                 as recommended_cost_per_gpu_hour,
    b.projected_p95_sm_active,
    {{ money('coalesce((s.current_cost_per_gpu_hour - b.cost_per_gpu_hour) * s.gpu_hours_observed / s.hours_observed * ' ~ var('hours_per_month') ~ ', 0)') }}
                                                                                        as monthly_saving,
    case when s.hours_observed >= 168 and s.coverage >= 0.9 then 'high'
         when s.hours_observed >= 24 and s.coverage >= 0.5 then 'medium'
         else 'low' end                                                                                 as confidence
from services as s
left join best as b on b.service = s.service and b.current_model = s.gpu_model
