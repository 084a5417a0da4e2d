-- One row per GCP billing export row: labels to a MAP, net cost = cost + Σ credits (credits carry their sign), the
-- committed use discount credits apart, the machine type and vCPUs of a Compute Engine VM from its system labels.
with source as (

    select * from {{ source('gcp_billing', 'gcp_billing_export') }}

),

renamed as (

    select
        'gcp:' || _row_hash                                         as cost_id,
        _billing_period                                             as billing_period,
        billing_account_id,
        project_id,
        project_name,
        service_id,
        service_description,
        sku_id,
        sku_description,
        usage_start_time,
        usage_end_time,
        location_region,
        location_zone,
        coalesce(resource_global_name, resource_name)               as resource_id,
        cost_type,
        currency,
        {{ money('cost') }}                                         as cost,
        {{ money('coalesce(credits_amount, 0)') }}                  as credits_amount,
        -- the part of the credits that is a resource-based committed use discount (credits.type)
        {{ money(json_credits_of_type('credits', 'COMMITTED_USAGE_DISCOUNT')) }}
                                                                    as commitment_credits_amount,
        {{ money('cost + coalesce(credits_amount, 0)') }}           as net_cost,
        {{ money('coalesce(cost_at_list, cost)') }}                 as cost_at_list,
        cast(usage_amount_in_pricing_units as decimal(38, 10))      as usage_amount_in_pricing_units,
        usage_pricing_unit,
        {{ json_key_value_map('labels') }}
                                                                    as labels,
        -- Compute Engine's system labels: the VM's machine type (a3-highgpu-8g) and vCPU count
        {{ json_key_value_map('system_labels') }}
            ['compute.googleapis.com/machine_spec']                 as machine_type,
        try_cast({{ json_key_value_map('system_labels') }}
            ['compute.googleapis.com/cores'] as integer)            as machine_vcpus,
        export_time,
        _source_file                                                as source_file

    from source

)

select * from renamed
