"""Raw EC2 spot price changes: a daily-partitioned asset; a backfill of many days runs as one fetch."""

import dagster as dg

from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, raw_source_asset
from pipelines.partitions import daily
from pipelines.sources import spot_prices

SPOT = RawSource(
    table="aws_spot_prices", resource="spot_prices", group="prices", kinds=frozenset({"aws", "duckdb"}),
    watermark=spot_prices.watermark, plan=spot_prices.plan, fetch=spot_prices.fetch, load=spot_prices.load,
    partitions=daily, single_run_backfill=True, freshness=freshness.DAILY,
    description=(
        "EC2 spot price changes (DescribeSpotPriceHistory) for the configured regions, instance types and products. "
        "Each run asks from the newest stored change of the window minus the overlap, keeps the raw pages in the "
        "landing area, and appends only changes not stored yet; a stored change is never modified."
    ),
)
SPOT_KEY = SPOT.key


@dg.definitions
def spot_assets() -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(SPOT)])
