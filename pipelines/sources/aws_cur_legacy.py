"""Legacy AWS Cost and Usage Reports: the period-level manifest names the current assembly, which replaces the
period; columns are mapped to their CUR 2.0 names."""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request
from pipelines.sources.deliveries import Delivered, delivery_facts, fetch_period_delivery
from warehouse.loaders.aws_cur_legacy import load_legacy_cur_delivery


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    return fetch_period_delivery(settings, request, log, "legacy CUR", "sources.aws_cur_legacy")


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    d: Delivered = landed.items
    result = load_legacy_cur_delivery(conn, billing_period=d.period, delivery_id=d.delivery.execution_id,
                                      files=d.files, display_paths=d.display_paths)
    return delivery_facts("legacy CUR", d, result, drift_note="columns without a CUR 2.0 name kept in _extra_columns")


SOURCE = RawSource("aws_cur_legacy_line_items", "aws_cur_legacy", "billing", ("s3", "duckdb", "csv"), fetch, load,
                   partitions="billing_month", retry_delay_s=5, optional=True)
