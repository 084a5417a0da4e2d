"""Load FOCUS 1.0-1.2 exports (CSV, CSV.gz, Parquet; AWS, Azure, OCI and GCP flavours) into ``raw.focus_cost_rows``.

Real FOCUS files bend the spec; each bend is accepted and recorded per row in ``_coercions``:
bare ``NULL``/``null`` tokens and empty strings are NULL, ``YYYY-MM-DD HH:MM:SS`` timestamps are read as UTC,
offsets are converted to UTC, spreadsheet forms (``$10,000.00``, ``4/1/25`` as month/day/year) are read, enum values in the wrong case (``Usage-based``) take the spec's spelling, and an
unreadable optional value becomes NULL. A row goes to ``quarantine.focus_cost_rows`` (with the reason) when a value
that money or time depends on is unreadable, its billing period is not the delivery's, or its charge category is
not FOCUS. Identical rows are loaded (FOCUS has no line-item identity; the spec's own examples repeat rows) and
counted; a re-delivery replaces the period, so nothing is counted twice. Pre-1.0 names (``ChargeType``, ``UsageQuantity``, ``AmortizedCost``)
are mapped to their 1.x names; other columns (``x_*``, ``Id``) are kept in ``_extra_columns``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.loaders.csv_text import RejectedLine, quarantine_rejected_lines, read_csv_as_text
from warehouse.loads import LoadResult, StageCounts, input_files, record_source_totals, replace_partition
from warehouse.schema import table_columns
from warehouse.templates import execute, fetch_one

SOURCE = "focus"
TARGET = "raw.focus_cost_rows"
QUARANTINE = "quarantine.focus_cost_rows"
REQUIRED_COLUMNS = ("billed_cost", "billing_currency", "billing_period_start", "charge_period_start", "charge_category")
ALIASES = {
    "charge_type": "charge_category",
    "usage_quantity": "consumed_quantity",
    "usage_unit": "consumed_unit",
    "amortized_cost": "effective_cost",
    "region": "region_name",
}
ENUMS = {
    "charge_category": ("Usage", "Purchase", "Tax", "Credit", "Adjustment"),
    "charge_class": ("Correction",),
    "charge_frequency": ("One-Time", "Recurring", "Usage-Based"),
    "pricing_category": ("Standard", "Dynamic", "Committed", "Other"),
    "commitment_discount_status": ("Used", "Unused"),
    "commitment_discount_category": ("Spend", "Usage"),
}
_ISO_UTC = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"
_READER = ("filename", "file_row_number")


class FocusFileError(ValueError):
    """A FOCUS file cannot be read (empty, truncated, corrupt compression, not CSV/Parquet)."""


class FocusSchemaError(ValueError):
    """A FOCUS file lacks a column every FOCUS version requires."""


def snake(name: str) -> str:
    """``PricingCurrencyEffectiveCost`` → ``pricing_currency_effective_cost`` (snake_case input is kept)."""
    s = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name.strip())
    s = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", s)
    s = s.lower()
    return ALIASES.get(s, s)


def _read_file(conn: duckdb.DuckDBPyConnection, path: Path, table: str) -> list[RejectedLine]:
    """Read one file as text into ``table``; return CSV lines the parser rejected as (line, reason, record)."""
    if path.stat().st_size == 0:
        raise FocusFileError(f"FOCUS file {path} is empty (0 bytes)")
    try:
        if path.name.endswith(".parquet"):
            cols = execute(conn, "focus/parquet_columns", {"path": str(path)}).fetchall()
            columns = [{"name": c, "nested": str(t).upper().startswith(("MAP", "STRUCT", "LIST")) or str(t).endswith("[]")}
                       for c, t, *_ in cols]
            execute(conn, "focus/read_parquet", {"path": str(path)}, table=table, columns=columns)
            return []
        return read_csv_as_text(conn, path, table, null_tokens=("NULL", "null"))
    except duckdb.Error as exc:
        raise FocusFileError(f"cannot read FOCUS file {path}: {exc}") from exc


def _renamed(conn: duckdb.DuckDBPyConnection, table: str, path: Path, assume_currency: str | None,
             known: set[str]) -> dict[str, object]:
    """How ``table`` maps onto FOCUS 1.x names (rendered by ``focus/stage``)."""
    cols = [c for c, in execute(conn, "common/columns_of", table=table).fetchall() if c not in _READER]
    loose = {k.replace("_", ""): k for k in known}
    if not cols or cols == ["column0"]:
        raise FocusFileError(f"FOCUS file {path} has no header row")
    mapping: dict[str, str] = {}
    for c in cols:
        name = c if c.startswith("x_") else snake(c)
        mapping.setdefault(loose.get(name.replace("_", ""), name) if not c.startswith("x_") else name, c)
    assumed = assume_currency if "billing_currency" not in mapping and assume_currency else None
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping and not (c == "billing_currency" and assumed)]
    if missing:
        raise FocusSchemaError(f"FOCUS file {path} is missing required column(s): {', '.join(missing)}")
    return {"table": table, "mapping": list(mapping.items()), "assumed_currency": assumed}


def _kind(name: str, dtype: str) -> str:
    """How a present column is typed (``focus/typed``): timestamp, decimal, json, enum or text."""
    d = dtype.upper()
    if d.startswith("TIMESTAMP"):
        return "timestamp"
    if d.startswith("DECIMAL"):
        return "decimal"
    if d == "JSON":
        return "json"
    return "enum" if name in ENUMS else "text"


def _stage(conn: duckdb.DuckDBPyConnection, files: Sequence[Path], partition: str, period: str, export_name: str,
           delivery_id: str, load_id: str, assume_currency: str | None) -> StageCounts:
    known = [(n, t) for n, t in table_columns(conn, "raw", "focus_cost_rows") if not n.startswith("_")]
    known_names = {n for n, _ in known}
    staged: list[dict[str, object]] = []
    present: set[str] = set()
    rejected = 0
    for i, path in enumerate(files):
        table = f"_focus_file_{i}"
        rejects = _read_file(conn, path, table)
        file = _renamed(conn, table, path, assume_currency, known_names)
        staged.append(file)
        present |= {dst for dst, _ in file["mapping"]} | ({"billing_currency"} if file["assumed_currency"] else set())
        rejected += quarantine_rejected_lines(conn, QUARANTINE, partition_key=partition, load_id=load_id, path=path,
                                              rejects=rejects)
    execute(conn, "focus/stage", files=staged)
    execute(conn, "common/drop_tables", tables=[f["table"] for f in staged])

    source_cols = sorted(present)
    extras = [c for c in source_cols if c not in known_names]
    assumed_any = "_currency_assumed" in {c for c, in execute(conn, "common/columns_of", table="_focus_stage").fetchall()}
    columns = [{"name": n, "type": t, "kind": _kind(n, t) if n in present else "missing", "allowed": ENUMS.get(n, ())}
               for n, t in known]
    execute(conn, "focus/typed", columns=columns, extras=extras, source_columns=source_cols,
            assumed_currency=assume_currency if assumed_any else None)
    params = {"partition_key": partition, "period": period, "export_name": export_name, "delivery_id": delivery_id,
              "load_id": load_id}
    execute(conn, "focus/judged", params, categories=ENUMS["charge_category"])
    execute(conn, "focus/insert_rows", params, columns=[n for n, _ in known])
    execute(conn, "focus/quarantine_rows", params)
    record_source_totals(conn, load_id=load_id, source=SOURCE, partition_key=partition, totals="focus/source_totals",
                         params=params)
    rows, bad, repeated = fetch_one(conn, "focus/counts")
    coerced = dict(execute(conn, "focus/coercion_counts").fetchall())
    execute(conn, "common/drop_tables", tables=["_focus_stage", "_focus_typed", "_focus_judged"])
    notes: dict[str, object] = {}
    if coerced:
        notes["coercions"] = coerced
    if extras:
        notes["non_focus_columns"] = extras
    if rejected:
        notes["unparseable_csv_lines"] = rejected
    if repeated:
        # FOCUS rows carry no line-item identity: identical rows are legitimate (two equal resources), so they load.
        notes["identical_rows_loaded"] = repeated
    return StageCounts(rows_read=rows + rejected, rows_loaded=rows - bad, rows_quarantined=bad + rejected, notes=notes)


def load_focus_delivery(
    conn: duckdb.DuckDBPyConnection,
    *,
    export_name: str,
    billing_period: str,
    delivery_id: str,
    files: Sequence[Path],
    display_paths: Sequence[str] | None = None,
    assume_currency: str | None = None,
) -> LoadResult:
    """Replace ``export_name``'s ``billing_period`` ('YYYY-MM') with the rows of one delivery's files."""
    inputs = input_files(files, display_paths, f"FOCUS delivery {delivery_id} of {export_name} for {billing_period}")
    partition = f"{export_name}/{billing_period}"
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="_partition",
        partition_key=partition, delivery_id=delivery_id, input_files=inputs,
        stage=lambda c, load_id: _stage(c, list(files), partition, billing_period, export_name, delivery_id, load_id,
                                         assume_currency),
    )
