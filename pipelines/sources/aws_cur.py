"""AWS Data Exports (CUR 2.0): the period's newest delivery replaces the period in one transaction."""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.sources.contract import CheckFact, Landed, LoadFacts, Log, RawSource, Request, SourceCheck
from pipelines.sources.deliveries import Delivered, delivery_facts, fetch_period_delivery
from warehouse.loaders.aws_cur import load_cur_delivery
from warehouse.statements import scalar


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    return fetch_period_delivery(settings, request, log, "CUR", "sources.aws_cur")


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    d: Delivered = landed.items
    result = load_cur_delivery(conn, billing_period=d.period, delivery_id=d.delivery.execution_id, files=d.files,
                               display_paths=d.display_paths)
    duplicates = scalar(conn, "cur_duplicate_line_item_keys", period=d.period)
    total_rows = scalar(conn, "cur_rows_all_periods")
    facts = delivery_facts("CUR", d, result, d.delivery.row_count)
    facts.metadata["table_rows_all_periods"] = total_rows
    facts.checks.append(CheckFact("no_duplicate_line_items", duplicates == 0, {"duplicate_keys_in_raw": duplicates}))
    return facts


SOURCE = RawSource("aws_cur_line_items", "aws_cur", "billing", ("s3", "duckdb", "parquet"), fetch, load,
                   partitions="billing_month", retry_delay_s=5, checks=(SourceCheck(
                       "no_duplicate_line_items", "identity_line_item_id + identity_time_interval unique in the period"),))
