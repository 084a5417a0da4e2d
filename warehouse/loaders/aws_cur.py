"""Load one AWS Data Exports (CUR 2.0) delivery of a billing period into ``raw.aws_cur_line_items``.

A delivery REPLACES its billing period. Within a delivery, a line item (``identity_line_item_id`` +
``identity_time_interval``) is loaded once; later copies go to ``quarantine.aws_cur_line_items`` with the reason.
Columns the DDL does not know are kept in ``_extra_columns`` (schema drift) and reported; a missing optional column
loads as NULL; a missing required column fails the load naming the file and the column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from warehouse.loads import LoadResult, StageCounts, input_files, record_source_totals, replace_partition
from warehouse.schema import table_columns
from warehouse.templates import execute, fetch_one

SOURCE = "aws_cur"
TARGET = "raw.aws_cur_line_items"
QUARANTINE = "quarantine.aws_cur_line_items"
REQUIRED_COLUMNS: tuple[str, ...] = (
    "identity_line_item_id",
    "identity_time_interval",
    "line_item_line_item_type",
    "line_item_unblended_cost",
    "line_item_usage_start_date",
    "line_item_usage_end_date",
    "line_item_currency_code",
    "bill_billing_period_start_date",
)
_READER_COLUMNS = {"filename", "file_row_number"}


class CurSchemaError(ValueError):
    """A delivered file lacks a column that every CUR 2.0 export has."""


class CurFileError(ValueError):
    """A delivered file cannot be read (truncated, not Parquet, ...)."""


def _file_columns(conn: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    if path.stat().st_size == 0:
        raise CurFileError(f"CUR file {path} is empty (0 bytes)")
    try:
        return [r[0] for r in execute(conn, "aws_cur/file_columns", {"path": str(path)}).fetchall()]
    except duckdb.Error as exc:
        raise CurFileError(f"cannot read CUR file {path}: {exc}") from exc


def check_required_columns(conn: duckdb.DuckDBPyConnection, files: Sequence[Path]) -> dict[str, list[str]]:
    """Raise :class:`CurSchemaError` if a file misses a required column; return each file's columns."""
    columns: dict[str, list[str]] = {}
    for path in files:
        cols = _file_columns(conn, path)
        missing = [c for c in REQUIRED_COLUMNS if c not in cols]
        if missing:
            raise CurSchemaError(f"CUR file {path} is missing required column(s): {', '.join(missing)}")
        columns[str(path)] = cols
    return columns


def stage_parquet(conn: duckdb.DuckDBPyConnection, files: Sequence[Path]) -> list[str]:
    """Expose CUR 2.0 Parquet files as the view ``_cur_stage``; return the source columns present in any file.

    A view, not a copy: the judging pass reads only the columns it judges, and the insert streams the good rows
    straight from the files (a CUR month is read about once, as DuckDB's own load would).
    """
    file_columns = check_required_columns(conn, files)
    execute(conn, "aws_cur/stage_view", files=[str(f) for f in files])
    return sorted({c for cols in file_columns.values() for c in cols})


SourceStager = Callable[[duckdb.DuckDBPyConnection], list[str]]


def _stage_types(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {r[0]: r[1] for r in execute(conn, "aws_cur/stage_types").fetchall()}


def judge_and_insert(
    conn: duckdb.DuckDBPyConnection,
    *,
    present: Sequence[str],
    target: str,
    quarantine: str,
    billing_period: str,
    delivery_id: str,
    load_id: str,
) -> StageCounts:
    """Move ``_cur_stage`` (CUR 2.0 column names + filename, file_row_number) into ``target``.

    Rows without identity, with unreadable values or duplicating an earlier line item go to ``quarantine``.
    Judging is narrow: duplicates are found on the identity columns alone and a value is only checked where the
    source type differs from the table's; the rejected rows' (file, row) go to ``_cur_rejects`` and every other
    row is inserted in one pass.
    """
    schema, table = target.split(".")
    known = [(n, t) for n, t in table_columns(conn, schema, table) if not n.startswith("_")]
    known_names = {n for n, _ in known}
    extras = [c for c in present if c not in known_names and c not in _READER_COLUMNS]
    missing_optional = [n for n, _ in known if n not in present]
    source_types = _stage_types(conn)
    columns = []
    for name, dtype in known:
        state = ("missing" if name not in present
                 else "same" if source_types.get(name, "").upper() == dtype.upper() else "cast")
        columns.append({"name": name, "type": dtype, "state": state,
                        "check": state == "cast" and not dtype.upper().startswith("MAP")})
    params = {"billing_period": billing_period, "delivery_id": delivery_id, "load_id": load_id,
              "loaded_at": fetch_one(conn, "common/now")[0]}
    execute(conn, "aws_cur/duplicates")
    execute(conn, "aws_cur/rejects", columns=columns)
    execute(conn, "aws_cur/insert_rows", params, target=target, columns=columns, extras=extras)
    execute(conn, "aws_cur/quarantine_rows", params, quarantine=quarantine,
            present=[c for c in present if c not in _READER_COLUMNS])
    record_source_totals(conn, load_id=load_id, source=source_name(target), partition_key=billing_period,
                         totals="aws_cur/source_totals", params=params)
    rows_read, rows_quarantined = fetch_one(conn, "aws_cur/counts", params)
    stage_is_view = (fetch_one(conn, "aws_cur/stage_kind") or ("",))[0] == "VIEW"
    execute(conn, "aws_cur/drop_work", stage_is_view=stage_is_view)
    notes: dict[str, object] = {}
    if extras:
        notes["schema_drift_new_columns"] = extras
    if missing_optional:
        notes["missing_optional_columns"] = len(missing_optional)
    return StageCounts(
        rows_read=rows_read, rows_loaded=rows_read - rows_quarantined, rows_quarantined=rows_quarantined, notes=notes
    )


def source_name(target: str) -> str:
    """'raw.aws_cur_legacy_line_items' → 'aws_cur_legacy' (the audit source name)."""
    return target.split(".")[1].removesuffix("_line_items")


def _stager(stage_source: SourceStager, target: str, quarantine: str, billing_period: str, delivery_id: str):
    def stage(conn: duckdb.DuckDBPyConnection, load_id: str) -> StageCounts:
        present = stage_source(conn)
        return judge_and_insert(conn, present=present, target=target, quarantine=quarantine,
                                billing_period=billing_period, delivery_id=delivery_id, load_id=load_id)

    return stage


def load_cur_delivery(
    conn: duckdb.DuckDBPyConnection,
    *,
    billing_period: str,
    delivery_id: str,
    files: Sequence[Path],
    display_paths: Sequence[str] | None = None,
) -> LoadResult:
    """Replace ``billing_period`` ('YYYY-MM') with the rows of ``files`` (one delivery's Parquet files)."""
    inputs = input_files(files, display_paths, f"CUR delivery {delivery_id} for {billing_period}")
    return replace_partition(
        conn,
        source=SOURCE,
        target_table=TARGET,
        quarantine_table=QUARANTINE,
        partition_column="_billing_period",
        partition_key=billing_period,
        delivery_id=delivery_id,
        input_files=inputs,
        stage=_stager(lambda conn: stage_parquet(conn, list(files)), TARGET, QUARANTINE, billing_period, delivery_id),
    )
