"""Raw GCP SKU prices (Cloud Billing Catalog) kept as a history: a price change is a new row, not an overwrite."""

import dagster as dg

from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, raw_source_asset
from pipelines.sources import gcp_catalog

SKU_PRICES = RawSource(
    table="gcp_sku_prices", resource="gcp_catalog", group="prices", kinds=frozenset({"gcp", "duckdb"}),
    fetch=gcp_catalog.fetch, load=gcp_catalog.load, freshness=freshness.DAILY,
    description=(
        "Compute Engine SKU prices from the Cloud Billing Catalog API (on demand and spot/preemptible, per region "
        "and tier, units + nanos as DECIMAL, a price per hour for time units), merged into a valid_from/valid_to "
        "history."
    ),
)
SKU_PRICES_KEY = SKU_PRICES.key


@dg.definitions
def gcp_catalog_assets() -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(SKU_PRICES)])
