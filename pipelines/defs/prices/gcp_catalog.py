"""Raw GCP SKU prices (Cloud Billing Catalog) kept as a history: a price change is a new row, not an overwrite."""

import datetime as dt
from dataclasses import asdict
from pathlib import Path

import dagster as dg

from collectors.gcp.catalog import catalog_client, fetch_skus, price_rows, recorded_skus
from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.lib.metadata import load_metadata
from pipelines.resources_impl import GcpCatalogSourceResource, WarehouseResource
from warehouse.loaders.gcp_prices import load_sku_prices

SKU_PRICES_KEY = dg.AssetKey(["raw", "gcp_sku_prices"])


@dg.asset(
    key=SKU_PRICES_KEY, freshness_policy=freshness.DAILY, group_name="prices", kinds={"gcp", "duckdb"}, owners=["team:data-platform"], pool="duckdb",
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL),
    check_specs=load_check_specs(SKU_PRICES_KEY),
    description=(
        "Compute Engine SKU prices from the Cloud Billing Catalog API (on demand and spot/preemptible, per region "
        "and tier, units + nanos as DECIMAL, a price per hour for time units), merged into a valid_from/valid_to "
        "history."
    ),
)
def gcp_sku_prices(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                   gcp_catalog: GcpCatalogSourceResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        fetched_at = dt.datetime.now(dt.timezone.utc)
        if gcp_catalog.location == "api":
            client = catalog_client(gcp_catalog.endpoint)
            skus, source = fetch_skus(client, gcp_catalog.services, gcp_catalog.currency,
                                      Path(gcp_catalog.landing_dir) / "gcp_catalog")
        else:
            folder = Path(gcp_catalog.location)
            if not folder.is_dir():
                raise FileNotFoundError(f"sources.gcp_catalog.location {folder} is neither a folder of recorded skus "
                                        "pages nor 'api'")
            skus, pages = recorded_skus(folder)
            if not pages:
                context.log.info(f"no catalog pages under {folder}")
                return dg.MaterializeResult(metadata={"dagster/row_count": 0},
                                            check_results=load_check_results(0, 0, 0, None))
            source = pages[0]
        families = set(gcp_catalog.resource_families)
        kept = [s for s in skus if not families or (s.get("category") or {}).get(
            "resourceFamily", (s.get("category") or {}).get("resource_family")) in families]
        rows = [asdict(r) for r in price_rows(kept)]
        with warehouse.writer() as conn:
            result = load_sku_prices(conn, rows=rows, source_file=source, fetched_at=fetched_at)
        context.log.info(f"catalog: {len(kept)} of {len(skus)} SKUs kept, {result.rows_read} price rows, "
                         f"{result.rows_loaded} new, {result.notes.get('prices_changed', 0)} price changes, "
                         f"{result.rows_quarantined} quarantined")
        return dg.MaterializeResult(
            metadata={**load_metadata(result), "skus_fetched": len(skus), "skus_kept": len(kept)},
            check_results=load_check_results(result.rows_read, result.rows_loaded, result.rows_quarantined, None,
                                             int(result.notes.get("rows_already_loaded", 0))),
        )


@dg.definitions
def gcp_catalog_assets() -> dg.Definitions:
    return dg.Definitions(assets=[gcp_sku_prices])
