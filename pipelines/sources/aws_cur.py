"""AWS Data Exports (CUR 2.0): the period's newest delivery replaces the period in one transaction."""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.sources.contract import CheckFact, Landed, LoadFacts, Log, RawSource, Request, SourceCheck
from pipelines.sources.deliveries import Delivered, fetch_period_delivery
from warehouse.loaders.aws_cur import load_cur_delivery


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    return fetch_period_delivery(settings, request, log, "CUR", "sources.aws_cur")


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    d: Delivered = landed.items
    result = load_cur_delivery(conn, billing_period=d.period, delivery_id=d.delivery.execution_id, files=d.files,
                               display_paths=d.display_paths)
    duplicates = conn.execute(
        "select count(*) from (select 1 from raw.aws_cur_line_items where _billing_period = ? "
        "group by identity_line_item_id, identity_time_interval having count(*) > 1)", [d.period]).fetchone()[0]
    total_rows = conn.execute("select count(*) from raw.aws_cur_line_items").fetchone()[0]
    facts = LoadFacts(manifest_rows=d.delivery.row_count, metadata={"table_rows_all_periods": total_rows})
    facts.add(result, describe=True)
    facts.checks.append(CheckFact("no_duplicate_line_items", duplicates == 0, {"duplicate_keys_in_raw": duplicates}))
    drift = result.notes.get("schema_drift_new_columns")
    facts.summary = (f"CUR {d.period}: delivery {d.delivery.execution_id} read {result.rows_read} rows, loaded "
                     f"{result.rows_loaded}, quarantined {result.rows_quarantined}, replaced {result.rows_replaced}"
                     + (f"; new columns kept in _extra_columns: {drift}" if drift else ""))
    return facts


SOURCE = RawSource("aws_cur_line_items", "aws_cur", "billing", ("s3", "duckdb", "parquet"), fetch, load,
                   partitions="billing_month", retry_delay_s=5, checks=(SourceCheck(
                       "no_duplicate_line_items", "identity_line_item_id + identity_time_interval unique in the period"),))
