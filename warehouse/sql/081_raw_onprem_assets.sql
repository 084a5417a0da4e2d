-- The on-prem hardware register as configured (replaced from its CSV with the topology on every load): what each
-- host and rack cost, its straight-line depreciation, support contract and colocation/space fee per month.
create table if not exists raw.onprem_assets (
    asset                   varchar not null,   -- host name (as the topology and telemetry name it) or rack
    kind                    varchar not null,   -- host | rack
    site                    varchar,
    purchase_date           date,
    currency                varchar not null,
    purchase_cost           decimal(38, 10) not null,
    depreciation_months     integer,
    residual_value          decimal(38, 10) not null,
    support_per_month       decimal(38, 10) not null,
    space_per_month         decimal(38, 10) not null,
    _source_file            varchar not null,
    _source_line            bigint not null
);
