"""FOCUS 1.0-1.2 exports (AWS, Azure, OCI or GCP flavour): the period's delivery (or folder) replaces the period;
what had to be coerced to read real files is recorded per row and reported."""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request
from pipelines.sources.deliveries import Delivered, delivery_facts, fetch_period_delivery
from warehouse.loaders.focus import load_focus_delivery


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    focus = settings.source  # None when sources.focus is not configured: the fetch then says so
    name = focus.export_name if focus else ""
    return fetch_period_delivery(settings, request, log, f"FOCUS {name}", "sources.focus",
                                 {"export_name": name, "assume_currency": focus.assume_currency if focus else None})


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    d: Delivered = landed.items
    result = load_focus_delivery(conn, billing_period=d.period, delivery_id=d.delivery.execution_id, files=d.files,
                                 display_paths=d.display_paths, **d.options)
    return delivery_facts("FOCUS", d, result, d.delivery.row_count, "values coerced to read the files")


SOURCE = RawSource("focus_cost_rows", "focus", "billing", ("s3", "duckdb"), fetch, load, partitions="billing_month",
                   retry_delay_s=5, optional=True)
