-- One row per delivered FOCUS row: tags parsed to a MAP, the row's place in its file as its identity.
with source as (

    select * from {{ source('focus', 'focus_cost_rows') }}

),

renamed as (

    select
        'focus:' || md5(_partition || '|' || _source_file || '|' || cast(_source_row as string)) as cost_id,
        _export_name                                            as export_name,
        _billing_period                                         as billing_period,
        coalesce(provider_name, invoice_issuer_name, _export_name) as provider_name,
        cast(billing_period_start as date)                      as billing_period_start,
        charge_period_start,
        charge_period_end,
        billing_account_id,
        sub_account_id,
        sub_account_name,
        service_name,
        service_category,
        region_id,
        availability_zone,
        resource_id,
        sku_id,
        charge_category,
        charge_class,
        charge_frequency,
        pricing_category,
        commitment_discount_id,
        commitment_discount_status,
        {{ money('billed_cost') }}                              as billed_cost,
        {{ money('coalesce(effective_cost, billed_cost)') }}    as effective_cost,
        {{ money('coalesce(list_cost, billed_cost)') }}         as list_cost,
        {{ money('coalesce(contracted_cost, billed_cost)') }}   as contracted_cost,
        consumed_quantity,
        consumed_unit,
        billing_currency,
        {{ json_text_map('tags') }} as tags,
        _coercions                                              as coercions,
        _delivery_id                                            as delivery_id,
        _source_file                                            as source_file

    from source

)

select * from renamed
