"""Raw GCP billing export: exported files or the BigQuery table, appended incrementally (late rows included)."""

import datetime as dt
from pathlib import Path

import dagster as dg

from collectors.gcp.billing_export import (EXPORT_SUFFIXES, bigquery_client, export_files, fetch_since,
                                          parse_bigquery_location)
from collectors.storage import mirror_to_landing
from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.lib.metadata import load_metadata
from pipelines.resources_impl import GcpBillingSourceResource, WarehouseResource
from warehouse.loaders.gcp_billing import load_gcp_export_files, watermark

GCP_KEY = dg.AssetKey(["raw", "gcp_billing_export"])


@dg.asset(
    key=GCP_KEY, freshness_policy=freshness.BILLING, group_name="billing", kinds={"bigquery", "duckdb"}, owners=["team:data-platform"], pool="duckdb",
    retry_policy=dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL),
    check_specs=load_check_specs(GCP_KEY),
    description=(
        "GCP Cloud Billing export rows (standard or detailed). From BigQuery: rows with export_time at or after the "
        "loaded watermark minus an overlap; from files: every exported file. Rows already loaded are recognised "
        "by their values and skipped, so late rows land once and nothing is counted twice."
    ),
)
def gcp_billing_export(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                       gcp_billing: GcpBillingSourceResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        results = []
        if gcp_billing.location.startswith("bigquery://"):
            project, dataset, table = parse_bigquery_location(gcp_billing.location)
            with warehouse.writer() as conn:
                since = watermark(conn)
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
            dest = Path(gcp_billing.landing_dir) / "gcp_billing" / table / f"bigquery_{stamp}.ndjson"
            client = bigquery_client(project, gcp_billing.bigquery_endpoint)
            n, lower = fetch_since(client, project, dataset, table, since,
                                   dt.timedelta(hours=gcp_billing.overlap_hours), dest)
            context.log.info(f"BigQuery {project}.{dataset}.{table}: {n} rows with export_time >= {lower.isoformat()}")
            groups = {table: [dest]} if n else {}
        elif gcp_billing.location.startswith("s3://"):
            store = gcp_billing.store()
            folder = mirror_to_landing(store, Path(gcp_billing.landing_dir), EXPORT_SUFFIXES)
            context.log.info(f"mirrored {gcp_billing.location} to {folder}")
            groups = export_files(folder) if folder.is_dir() else {}
        else:
            folder = Path(gcp_billing.location)
            if not folder.is_dir():
                raise FileNotFoundError(f"sources.gcp_billing.location {folder} is not a folder (expected exported "
                                        "NDJSON/Parquet/CSV files, or bigquery://project.dataset.table)")
            groups = export_files(folder)
        if not groups:
            context.log.info(f"no GCP billing export rows under {gcp_billing.location}")
            return dg.MaterializeResult(metadata={"dagster/row_count": 0, "note": "nothing new"},
                                        check_results=load_check_results(0, 0, 0, None))
        with warehouse.writer() as conn:
            for table, files in sorted(groups.items()):
                results.append(load_gcp_export_files(conn, table_name=table, files=files))
            total = conn.execute("select count(*) from raw.gcp_billing_export").fetchone()[0]
        read = sum(r.rows_read for r in results)
        loaded = sum(r.rows_loaded for r in results)
        quarantined = sum(r.rows_quarantined for r in results)
        skipped = sum(int(r.notes.get("rows_already_loaded", 0)) for r in results)
        context.log.info(f"GCP billing export: read {read}, appended {loaded}, already loaded {skipped}, "
                         f"quarantined {quarantined}")
        meta = load_metadata(results[-1]) if len(results) == 1 else {}
        meta.update({"dagster/row_count": total, "rows_read": read, "rows_loaded": loaded,
                     "rows_quarantined": quarantined, "rows_already_loaded": skipped,
                     "export_tables": sorted(groups)})
        return dg.MaterializeResult(metadata=meta,
                                    check_results=load_check_results(read, loaded, quarantined, None, skipped))


@dg.definitions
def gcp_assets() -> dg.Definitions:
    return dg.Definitions(assets=[gcp_billing_export])
