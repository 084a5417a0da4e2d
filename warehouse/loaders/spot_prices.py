"""Append EC2 spot price changes from ``DescribeSpotPriceHistory`` response pages to ``raw.aws_spot_prices``.

A change already stored (same region, zone, instance type, product and timestamp, same price) is skipped, so the
overlap a window re-reads is harmless. Items with a price that is not a positive number, no zone, no instance
type or an unreadable timestamp go to ``quarantine.aws_spot_prices``; a stored change reported again with
another price is quarantined too (a stored row is never changed). A page that is not JSON fails the load naming
the file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition
from warehouse.statements import run
from warehouse.templates import execute

SOURCE = "aws_spot_prices"
TARGET = "raw.aws_spot_prices"
QUARANTINE = "quarantine.aws_spot_prices"
_ITEM_FIELDS = ("AvailabilityZone", "InstanceType", "ProductDescription", "SpotPrice", "Timestamp")


class SpotPageError(ValueError):
    """A response page that cannot be read."""


def _items(pages: Sequence[Path]) -> pa.Table:
    rows: dict[str, list[object]] = {k: [] for k in ("file", "item", "raw", *_ITEM_FIELDS)}
    for page in pages:
        try:
            doc = json.loads(page.read_bytes())
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SpotPageError(f"spot price page {page} is not valid JSON: {exc}") from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("SpotPriceHistory", []), list):
            raise SpotPageError(f"spot price page {page} has no SpotPriceHistory list")
        for n, item in enumerate(doc.get("SpotPriceHistory", [])):
            item = item if isinstance(item, dict) else {}
            rows["file"].append(str(page))
            rows["item"].append(n)
            rows["raw"].append(json.dumps(item, sort_keys=True))
            for k in _ITEM_FIELDS:
                v = item.get(k)
                rows[k].append(None if v is None else str(v))
    return pa.table({k: pa.array(v, pa.int64() if k == "item" else pa.string()) for k, v in rows.items()})


def _stage(conn: duckdb.DuckDBPyConnection, region: str, pages: Sequence[Path], load_id: str, partition: str
           ) -> StageCounts:
    conn.register("items", _items(pages))  # the statements read the parsed pages as `items`
    run(conn, "spot_stage_typed", region=region)
    conn.unregister("items")
    run(conn, "spot_stage_judged")
    run(conn, "spot_insert_new", load_id=load_id)
    run(conn, "spot_quarantine", partition=partition, load_id=load_id)
    read, bad, known = run(conn, "spot_counts").fetchone()
    execute(conn, "common/drop_tables", tables=["_spot_typed", "_spot_judged"])
    return StageCounts(rows_read=read, rows_loaded=read - bad - known, rows_quarantined=bad, rows_skipped=known,
                       notes={"pages": len(pages)})


def load_spot_price_pages(conn: duckdb.DuckDBPyConnection, *, region: str, pages: Sequence[Path],
                          window: str) -> LoadResult:
    """Append the new changes of ``pages`` (one region's pages of one window, ``window`` names it in the audit)."""
    inputs = [InputFile.of(p) for p in pages]
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="region",
        partition_key=f"{region}/{window}", delivery_id=None, input_files=inputs, replace=False,
        stage=lambda c, load_id: _stage(c, region, pages, load_id, f"{region}/{window}"),
    )


def series_watermarks(conn: duckdb.DuckDBPyConnection, region: str, start: object, end: object
                      ) -> dict[tuple[str, str, str], object]:
    """The newest stored change per (zone, instance type, product) of ``region`` inside [start, end)."""
    rows = run(conn, "spot_series_watermarks", region=region, start=start, end=end).fetchall()
    return {(a, i, p): ts for a, i, p, ts in rows}
