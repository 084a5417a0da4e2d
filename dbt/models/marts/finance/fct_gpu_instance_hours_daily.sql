-- Billed GPU capacity per day and machine: instance-hours and GPU-hours, GPU model, machine type, what it cost.
-- AWS: instance-hours of GPU instance types (seed gpu_instance_types) times their GPUs. Savings Plan negation rows
--   carry no usage and are excluded; their cost effect is in effective_cost.
-- GCP (Compute Engine, per VM = resource): GPU-hours are
--   1. the hours of its GPU SKUs ("Nvidia H100 80GB GPU running in …", "Nvidia L4 GPU running in …", "… attached
--      to Spot …"; commitment fees are purchases, not usage) when it has any that day, else
--   2. for an accelerator-optimized machine type whose GPUs are part of the machine price (a3-highgpu-8g,
--      g2-standard-48; system label compute.googleapis.com/machine_spec), its "Instance Core" vCPU-hours / the
--      machine's vCPUs (instance-hours) times its GPUs.
--   Its cost is every Compute Engine line of that VM and day (cores, RAM, GPUs), so a GPU-hour carries the machine.
--   The part of those hours a committed use discount covered (COMMITTED_USAGE_DISCOUNT credits on its GPU SKU rows,
--   or on its core rows when the GPUs are part of the machine price) is a committed_use row, the rest on demand or
--   spot; the VM-day's cost is shared between the two by those hours.
with costs as (

    select * from {{ ref('fct_cost') }}
    where charge_category = 'Usage'

),

gpus as (

    select * from {{ ref('gpu_instance_types') }}

),

aws as (

    select
        c.charge_date,
        c.provider_name,
        c.sub_account_id,
        c.resource_id,
        c.x_instance_type                       as instance_type,
        gpus.gpu_model,
        c.tag_service,
        case
            when c.x_line_item_type = 'SavingsPlanCoveredUsage' then 'savings_plan'
            when c.x_line_item_type = 'DiscountedUsage' then 'reserved'
            when c.pricing_category = 'Dynamic' then 'spot'
            when c.pricing_category = 'Committed' then 'commitment'
            else 'on_demand'
        end                                     as purchase_option,
        sum(c.consumed_quantity)                as instance_hours,
        sum(c.consumed_quantity * c.x_gpu_count) as gpu_hours,
        {{ cost_measure_sums('c') }}
    from costs as c
    left join gpus on gpus.provider_name = 'AWS' and gpus.instance_type = c.x_instance_type
    where c.provider_name = 'AWS'
      and c.x_gpu_count is not null
      and c.x_line_item_type <> 'SavingsPlanNegation'
      and c.consumed_unit = 'Hrs'
    group by all

),

gcp_lines as (

    select
        c.*,
        {{ regexp_contains('c.x_usage_type', "'(?i)^(nvidia .*gpu|rtx [0-9]+.*) (running|attached)'") }}
            and c.x_usage_type not ilike 'commitment%'                        as is_gpu_sku,
        upper(regexp_extract(c.x_usage_type, '(?i)^(?:nvidia )?(?:tesla )?(rtx [0-9]+|[a-z0-9]+)', 1)) as sku_gpu_model,
        c.x_usage_type ilike '%instance core%'                               as is_core_sku,
        -- the share of the row's units a committed use discount covered (its credit / its cost)
        case when e.commitment_credits_amount < 0 and e.cost > 0
             then least(1, cast(-e.commitment_credits_amount as double) / cast(e.cost as double)) else 0
        end                                                                   as committed_share
    from costs as c
    join {{ ref('stg_gcp__billing_export') }} as e on e.cost_id = c.cost_id
    where c.provider_name = 'Google Cloud' and c.service_name = 'Compute Engine' and c.resource_id is not null

),

gcp_machines as (

    select
        l.charge_date,
        l.provider_name,
        l.sub_account_id,
        l.resource_id,
        {{ any_non_null('l.x_instance_type') }}                                            as instance_type,
        coalesce({{ any_non_null('gpus.gpu_model') }}, {{ any_non_null('l.sku_gpu_model') }} filter (where l.is_gpu_sku)) as gpu_model,
        {{ any_non_null('l.tag_service') }}                                                as tag_service,
        case when bool_or(l.pricing_category = 'Dynamic') then 'spot' else 'on_demand' end as purchase_option,
        sum(l.consumed_quantity) filter (where l.is_gpu_sku and l.consumed_unit = 'hour')  as gpu_sku_hours,
        sum(l.consumed_quantity * l.committed_share) filter (where l.is_gpu_sku and l.consumed_unit = 'hour')
                                                                                as committed_gpu_sku_hours,
        sum(l.consumed_quantity) filter (where l.is_core_sku and l.consumed_unit = 'hour') as core_hours,
        sum(l.consumed_quantity * l.committed_share) filter (where l.is_core_sku and l.consumed_unit = 'hour')
                                                                                as committed_core_hours,
        cast(sum(l.consumed_quantity) filter (where l.is_core_sku and l.consumed_unit = 'hour')
             / {{ any_non_null('gpus.vcpus') }} as decimal(38, 10))                       as machine_hours,
        {{ any_non_null('gpus.gpu_count') }}                                               as machine_gpus,
        {{ cost_measure_sums('l') }}
    from gcp_lines as l
    left join gpus on gpus.provider_name = 'GCP' and gpus.instance_type = l.x_instance_type
    group by l.charge_date, l.provider_name, l.sub_account_id, l.resource_id

),

gcp_shares as (

    select
        *,
        cast(coalesce(nullif(gpu_sku_hours, 0), machine_hours * machine_gpus) as decimal(38, 10)) as all_gpu_hours,
        coalesce(case when coalesce(gpu_sku_hours, 0) > 0
                      then cast(committed_gpu_sku_hours as double) / cast(gpu_sku_hours as double)
                      else cast(committed_core_hours as double) / nullif(cast(core_hours as double), 0) end, 0)
                                                                                as committed_share
    from gcp_machines

),

gcp_parts as (

    -- each VM-day in two parts: what a commitment covered, and the rest as billed
    select
        m.*,
        case when p.is_committed then 'committed_use' else m.purchase_option end as part_option,
        case when p.is_committed then m.committed_share else 1 - m.committed_share end as share
    from gcp_shares as m, (values (true), (false)) as p(is_committed)

),

gcp as (

    select
        charge_date, provider_name, sub_account_id, resource_id, instance_type, gpu_model, tag_service,
        part_option                                                             as purchase_option,
        {%- for col, source in [('instance_hours', 'machine_hours'), ('gpu_hours', 'all_gpu_hours'),
                                ('billed_cost', 'billed_cost'), ('effective_cost', 'effective_cost'),
                                ('net_billed_cost', 'net_billed_cost'), ('net_effective_cost', 'net_effective_cost')] %}
        case when share = 1 then {{ money(source) }}
             else {{ money('cast(' ~ source ~ ' as double) * share') }} end   as {{ col }}{{ ',' if not loop.last }}
        {%- endfor %}
    from gcp_parts
    where all_gpu_hours > 0 and share > 0

)

select * from aws
{{ union_all_by_name() }}
select * from gcp
