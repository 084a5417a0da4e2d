"""Raw GCP billing export: exported files or the BigQuery table, appended incrementally (late rows included)."""

import dagster as dg

from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, raw_source_asset
from pipelines.sources import gcp_billing

GCP = RawSource(
    table="gcp_billing_export", resource="gcp_billing", group="billing", kinds=frozenset({"bigquery", "duckdb"}),
    watermark=gcp_billing.watermark, plan=gcp_billing.plan, fetch=gcp_billing.fetch, load=gcp_billing.load,
    freshness=freshness.BILLING, retry_delay_s=5,
    description=(
        "GCP Cloud Billing export rows (standard or detailed). From BigQuery: rows with export_time at or after the "
        "loaded watermark minus an overlap; from files: every exported file. Rows already loaded are recognised "
        "by their values and skipped, so late rows land once and nothing is counted twice."
    ),
)
GCP_KEY = GCP.key


@dg.definitions
def gcp_assets() -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(GCP)])
