-- GCP SKU prices (Cloud Billing Catalog) as a history: one row per SKU, region and tier while its price holds;
-- a new price closes the open row (valid_to) and opens a new one, so no price is ever overwritten.
create table if not exists raw.gcp_sku_prices (
    sku_id                  varchar not null,
    service_display_name    varchar,
    description             varchar,
    resource_family         varchar,
    resource_group          varchar,
    usage_type              varchar,             -- OnDemand, Preemptible (spot), Commit1Yr, ...
    region                  varchar not null,    -- a service region, or 'global'
    tier_start_usage        double not null,
    usage_unit              varchar,             -- h, GiBy.h, GiBy, ...
    currency                varchar not null,
    unit_price              decimal(38, 10) not null,
    price_per_hour          decimal(38, 10),     -- for time units only
    effective_time          timestamp,           -- pricingInfo.effectiveTime
    valid_from              timestamp not null,
    valid_to                timestamp,           -- NULL while current
    _source_file            varchar not null,
    _load_id                varchar not null,
    _loaded_at              timestamptz not null
);
