"""Load a legacy Cost and Usage Report delivery (CSV, CSV.gz or Parquet) into ``raw.aws_cur_legacy_line_items``.

Legacy names are mapped onto the CUR 2.0 columns the way AWS itself maps them (``lineItem/UnblendedCost`` and the
Athena form ``line_item_unblended_cost`` both become ``line_item_unblended_cost``); ``resourceTags/*``,
``costCategory/*`` and product attributes without a CUR 2.0 column become the ``resource_tags``, ``cost_category``
and ``product`` maps. CSV rows the parser rejects (too many or too few fields, invalid UTF-8) are quarantined with
the line number and the parser's reason; every other row is loaded. The delivery replaces its billing period.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.loaders.aws_cur import REQUIRED_COLUMNS, CurFileError, CurSchemaError, judge_and_insert
from warehouse.loaders.csv_text import RejectedLine, quarantine_rejected_lines, read_csv_as_text
from warehouse.loads import LoadResult, StageCounts, input_files, replace_partition
from warehouse.schema import table_columns
from warehouse.templates import execute

SOURCE = "aws_cur_legacy"
TARGET = "raw.aws_cur_legacy_line_items"
QUARANTINE = "quarantine.aws_cur_legacy_line_items"
_MAPS = ("resource_tags", "cost_category", "product")
# Spellings seen in the wild for the same CUR 2.0 column.
_ALIASES = {
    "savings_plan_savings_plan_arn": "savings_plan_savings_plan_a_r_n",
    "reservation_reservation_arn": "reservation_reservation_a_r_n",
}


def _snake(part: str) -> str:
    return re.sub(r"([A-Z])", r"_\1", part).lower().lstrip("_")


def classify_column(name: str, known: set[str]) -> tuple[str, str]:
    """``(kind, target)``: kind is 'column', or one of the maps with the key the value is stored under."""
    if "/" in name:
        category, _, attr = name.partition("/")
        if category == "resourceTags":
            return "resource_tags", attr.replace(":", "_")
        if category == "costCategory":
            return "cost_category", attr
        canonical = f"{_snake(category)}_{_snake(attr)}"
        if category == "product" and canonical not in known:
            return "product", attr
        return "column", _ALIASES.get(canonical, canonical)
    for prefix in ("resource_tags_", "cost_category_"):
        if name.startswith(prefix):
            return prefix.rstrip("_"), name.removeprefix(prefix)
    if name.startswith("product_") and name not in known:
        return "product", name.removeprefix("product_")
    return "column", _ALIASES.get(name, name)


def _is_csv(path: Path) -> bool:
    return path.name.endswith((".csv", ".csv.gz", ".csv.zip")) or path.suffix == ".gz"


def _read_file(conn: duckdb.DuckDBPyConnection, path: Path, table: str) -> list[RejectedLine]:
    """Read one file as text columns into ``table``; return the CSV parser's rejected lines."""
    if path.stat().st_size == 0:
        raise CurFileError(f"legacy CUR file {path} is empty (0 bytes)")
    try:
        if _is_csv(path):
            return read_csv_as_text(conn, path, table)
        execute(conn, "legacy_cur/read_parquet", {"path": str(path)}, table=table)
        return []
    except duckdb.Error as exc:
        raise CurFileError(f"cannot read legacy CUR file {path}: {exc}") from exc


def _normalize(conn: duckdb.DuckDBPyConnection, table: str, path: Path, known: set[str]) -> dict[str, object]:
    """How ``table`` maps onto CUR 2.0 (its ``columns`` and ``maps``, rendered by ``legacy_cur/stage``)."""
    cols = [c for c, in execute(conn, "common/columns_of", table=table).fetchall()
            if c not in ("filename", "file_row_number")]
    if cols == ["column0"] or not cols:
        raise CurFileError(f"legacy CUR file {path} has no header row")
    columns: dict[str, str] = {}
    maps: dict[str, list[tuple[str, str]]] = {m: [] for m in _MAPS}
    for c in cols:
        kind, target = classify_column(c, known)
        if kind == "column":
            columns.setdefault(target, c)
        else:
            maps[kind].append((target, c))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CurSchemaError(f"legacy CUR file {path} is missing required column(s): {', '.join(missing)}")
    return {"table": table, "columns": list(columns.items()), "maps": [(m, e) for m, e in maps.items() if e]}


def _stage(conn: duckdb.DuckDBPyConnection, files: Sequence[Path], billing_period: str, load_id: str
           ) -> tuple[list[str], int]:
    """Build ``_cur_stage`` from every file; quarantine parser rejects; return present columns and rejects."""
    known = {n for n, _ in table_columns(conn, "raw", "aws_cur_legacy_line_items")}
    staged: list[dict[str, object]] = []
    rejected = 0
    for i, path in enumerate(files):
        table = f"_legacy_file_{i}"
        rejects = _read_file(conn, path, table)
        staged.append(_normalize(conn, table, path, known))
        rejected += quarantine_rejected_lines(conn, QUARANTINE, partition_key=billing_period, load_id=load_id, path=path,
                                              rejects=rejects)
    execute(conn, "legacy_cur/stage", files=staged)
    execute(conn, "common/drop_tables", tables=[f["table"] for f in staged])
    present = {dst for f in staged for dst, _ in f["columns"]} | {m for f in staged for m, _ in f["maps"]}
    return sorted(present), rejected


def load_legacy_cur_delivery(
    conn: duckdb.DuckDBPyConnection,
    *,
    billing_period: str,
    delivery_id: str,
    files: Sequence[Path],
    display_paths: Sequence[str] | None = None,
) -> LoadResult:
    """Replace ``billing_period`` ('YYYY-MM') of the legacy table with the rows of one assembly's files."""
    inputs = input_files(files, display_paths, f"legacy CUR assembly {delivery_id} for {billing_period}")

    def stage(c: duckdb.DuckDBPyConnection, load_id: str) -> StageCounts:
        present, rejected = _stage(c, list(files), billing_period, load_id)
        counts = judge_and_insert(c, present=present, target=TARGET, quarantine=QUARANTINE,
                                  billing_period=billing_period, delivery_id=delivery_id, load_id=load_id)
        notes = dict(counts.notes)
        if rejected:
            notes["unparseable_csv_lines"] = rejected
        return StageCounts(rows_read=counts.rows_read + rejected, rows_loaded=counts.rows_loaded,
                           rows_quarantined=counts.rows_quarantined + rejected, notes=notes)

    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="_billing_period",
        partition_key=billing_period, delivery_id=delivery_id, input_files=inputs, stage=stage,
    )
