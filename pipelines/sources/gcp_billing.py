"""GCP Cloud Billing export: from BigQuery the rows exported since the loaded watermark minus an overlap, from a
bucket or a folder every exported file; rows already loaded are recognised by their values and skipped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from collectors.gcp.billing_export import (EXPORT_SUFFIXES, bigquery_client, export_files, fetch_since,
                                          parse_bigquery_location)
from collectors.storage import mirror_to_landing
from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request, utc_stamp
from warehouse.loaders.gcp_billing import load_gcp_export_files
from warehouse.loaders.gcp_billing import watermark as loaded_watermark
from warehouse.statements import scalar


def _bigquery(settings: Any) -> bool:
    return settings.source.location.startswith("bigquery://")


def watermark(conn: duckdb.DuckDBPyConnection, settings: Any, request: Request) -> dt.datetime | None:
    """The newest export_time loaded (only asked when reading BigQuery)."""
    return loaded_watermark(conn) if _bigquery(settings) else None


def plan(settings: Any, request: Request, since: dt.datetime | None) -> dt.datetime | None:
    return since


def fetch(settings: Any, since: dt.datetime | None, log: Log) -> Landed:
    """{export table: files} in the landing area (BigQuery, bucket) or in the configured folder."""
    if _bigquery(settings):
        project, dataset, table = parse_bigquery_location(settings.source.location)
        dest = Path(settings.landing_dir) / "gcp_billing" / table / f"bigquery_{utc_stamp()}.ndjson"
        client = bigquery_client(project, settings.source.bigquery_endpoint)
        n, lower = fetch_since(client, project, dataset, table, since, dt.timedelta(hours=settings.source.overlap_hours),
                               dest)
        log.info(f"BigQuery {project}.{dataset}.{table}: {n} rows with export_time >= {lower.isoformat()}")
        groups = {table: [dest]} if n else {}
    elif settings.source.location.startswith("s3://"):
        folder = mirror_to_landing(settings.store(), Path(settings.landing_dir), EXPORT_SUFFIXES)
        log.info(f"mirrored {settings.source.location} to {folder}")
        groups = export_files(folder) if folder.is_dir() else {}
    else:
        folder = Path(settings.source.location)
        if not folder.is_dir():
            raise FileNotFoundError(f"sources.gcp_billing.location {folder} is not a folder (expected exported "
                                    "NDJSON/Parquet/CSV files, or bigquery://project.dataset.table)")
        groups = export_files(folder)
    if not groups:
        log.info(f"no GCP billing export rows under {settings.source.location}")
    return Landed(groups, metadata={"export_tables": sorted(groups)} if groups else {"note": "nothing new"})


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    facts = LoadFacts()
    groups = sorted(landed.items.items())
    for table, files in groups:
        facts.add(load_gcp_export_files(conn, table_name=table, files=files), describe=len(groups) == 1)
    facts.metadata["dagster/row_count"] = scalar(conn, "gcp_export_rows")
    facts.summary = (f"GCP billing export: read {facts.rows_read}, appended {facts.rows_loaded}, already loaded "
                     f"{facts.rows_already_loaded}, quarantined {facts.rows_quarantined}")
    return facts


SOURCE = RawSource("gcp_billing_export", "gcp_billing", "billing", ("bigquery", "duckdb"), fetch, load, plan=plan,
                   watermark=watermark, retry_delay_s=5)
