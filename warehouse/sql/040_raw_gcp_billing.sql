-- GCP Cloud Billing export rows (standard or detailed/resource schema), nested fields flattened, appended
-- incrementally: a row (identified by the hash of its values) lands once however often it is re-read.
create table if not exists raw.gcp_billing_export (
    billing_account_id              varchar,
    service_id                      varchar,
    service_description             varchar,
    sku_id                          varchar,
    sku_description                 varchar,
    usage_start_time                timestamp,
    usage_end_time                  timestamp,
    project_id                      varchar,
    project_number                  varchar,
    project_name                    varchar,
    project_labels                  json,
    labels                          json,
    system_labels                   json,
    location_location               varchar,
    location_country                varchar,
    location_region                 varchar,
    location_zone                   varchar,
    resource_name                   varchar,
    resource_global_name            varchar,
    export_time                     timestamp,
    cost                            decimal(38, 10),
    currency                        varchar,
    currency_conversion_rate        double,
    usage_amount                    double,
    usage_unit                      varchar,
    usage_amount_in_pricing_units   double,
    usage_pricing_unit              varchar,
    credits                         json,
    credits_amount                  decimal(38, 10),   -- sum of credits[].amount, with its sign (usually negative)
    invoice_month                   varchar,           -- 'YYYYMM' as exported
    cost_type                       varchar,
    cost_at_list                    decimal(38, 10),
    adjustment_info                 json,
    -- load lineage
    _billing_period                 varchar not null,  -- 'YYYY-MM' from invoice.month
    _row_hash                       varchar not null,
    _source_file                    varchar not null,
    _source_row                     bigint not null,
    _load_id                        varchar not null,
    _loaded_at                      timestamptz not null
);
