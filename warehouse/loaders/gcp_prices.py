"""Keep GCP SKU prices as a history in ``raw.gcp_sku_prices``.

For each (SKU, region, tier) a fetched price equal to the open row's changes nothing; a different price closes the
open row where the new price starts and opens a new row; a key the fetch no longer lists is closed at the fetch.
Rows without a usable price (a ``problem`` from parsing, a negative price, no currency) go to
``quarantine.gcp_sku_prices`` with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition
from warehouse.statements import run, scalar
from warehouse.templates import execute

SOURCE = "gcp_sku_prices"
TARGET = "raw.gcp_sku_prices"
QUARANTINE = "quarantine.gcp_sku_prices"
_COLUMNS = ("sku_id", "service_display_name", "description", "resource_family", "resource_group", "usage_type",
            "region", "tier_start_usage", "usage_unit", "currency", "unit_price", "price_per_hour", "effective_time",
            "problem", "raw")
_TYPES = {"tier_start_usage": pa.float64(), "unit_price": pa.decimal128(38, 10), "price_per_hour": pa.decimal128(38, 10)}


def _table(rows: Sequence[Mapping[str, object]]) -> pa.Table:
    cols = {c: [r.get(c) for r in rows] for c in _COLUMNS}
    cols["unit_price"] = [None if v is None else Decimal(v).quantize(Decimal("1e-10")) for v in cols["unit_price"]]
    cols["price_per_hour"] = [None if v is None else Decimal(v).quantize(Decimal("1e-10")) for v in cols["price_per_hour"]]
    return pa.table({c: pa.array(v, _TYPES.get(c, pa.string())) for c, v in cols.items()})


def _stage(conn: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, object]], fetched_at: dt.datetime,
           source_file: str, load_id: str, full_fetch: bool) -> StageCounts:
    conn.register("fetched", _table(rows))  # the statements read the fetched price rows as `fetched`
    run(conn, "sku_stage_judged", fetched_at=fetched_at)
    conn.unregister("fetched")
    run(conn, "sku_stage_compared")
    changed = scalar(conn, "sku_changed_count")
    run(conn, "sku_close_changed")
    closed_missing = 0
    if full_fetch:
        closed_missing = scalar(conn, "sku_unlisted_count")
        run(conn, "sku_close_unlisted", fetched_at=fetched_at)
    run(conn, "sku_insert_new", source_file=source_file, load_id=load_id)
    run(conn, "sku_quarantine", source_file=source_file, load_id=load_id)
    read, bad, new = run(conn, "sku_counts").fetchone()
    execute(conn, "common/drop_tables", tables=["_sku_judged", "_sku_compared"])
    return StageCounts(rows_read=read, rows_loaded=new, rows_quarantined=bad, rows_skipped=read - bad - new,
                       notes={"prices_changed": changed, "series_closed_no_longer_listed": closed_missing})


def load_sku_prices(conn: duckdb.DuckDBPyConnection, *, rows: Sequence[Mapping[str, object]], source_file: Path,
                    fetched_at: dt.datetime, full_fetch: bool = True) -> LoadResult:
    """Merge one catalog fetch (price rows as mappings) into the price history, in one transaction.

    ``full_fetch``: the rows cover every SKU of the fetched services, so an open series missing from them is
    closed; pass False for a partial fetch.
    """
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="sku_id",
        partition_key="catalog", delivery_id=None, input_files=[InputFile.of(source_file)], replace=False,
        stage=lambda c, load_id: _stage(c, rows, fetched_at.replace(tzinfo=None) if fetched_at.tzinfo is None else
                                        fetched_at.astimezone(dt.timezone.utc).replace(tzinfo=None),
                                        str(source_file), load_id, full_fetch),
    )


