"""Legacy AWS Cost and Usage Reports: the period-level manifest names the current assembly, which replaces the
period; columns are mapped to their CUR 2.0 names."""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request
from pipelines.sources.deliveries import Delivered, fetch_period_delivery
from warehouse.loaders.aws_cur_legacy import load_legacy_cur_delivery


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    return fetch_period_delivery(settings, request, log, "legacy CUR", "sources.aws_cur_legacy")


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    d: Delivered = landed.items
    result = load_legacy_cur_delivery(conn, billing_period=d.period, delivery_id=d.delivery.execution_id,
                                      files=d.files, display_paths=d.display_paths)
    facts = LoadFacts()
    facts.add(result, describe=True)
    drift = result.notes.get("schema_drift_new_columns")
    facts.summary = (f"legacy CUR {d.period}: assembly {d.delivery.execution_id} read {result.rows_read}, loaded "
                     f"{result.rows_loaded}, quarantined {result.rows_quarantined}"
                     + (f"; columns without a CUR 2.0 name kept in _extra_columns: {drift}" if drift else ""))
    return facts


SOURCE = RawSource("aws_cur_legacy_line_items", "aws_cur_legacy", "billing", ("s3", "duckdb", "csv"), fetch, load,
                   partitions="billing_month", retry_delay_s=5, optional=True)
