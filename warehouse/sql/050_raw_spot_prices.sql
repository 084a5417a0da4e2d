-- EC2 spot price changes as DescribeSpotPriceHistory returns them, appended incrementally: a change
-- (region, zone, instance type, product, timestamp) is stored once; a re-read never changes a stored row.
create table if not exists raw.aws_spot_prices (
    region                varchar not null,
    availability_zone     varchar not null,
    instance_type         varchar not null,
    product_description   varchar not null,
    spot_price            decimal(18, 8) not null,   -- USD per instance-hour
    price_timestamp       timestamp not null,        -- UTC, when the price took effect
    _source_file          varchar not null,          -- the raw API page kept in the landing area
    _source_item          bigint not null,
    _load_id              varchar not null,
    _loaded_at            timestamptz not null
);
