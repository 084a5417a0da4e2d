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

from warehouse.loads import InputFile, LoadResult, StageCounts, record_source_totals, replace_partition
from warehouse.schema import table_columns

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


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _file_columns(conn: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    if path.stat().st_size == 0:
        raise CurFileError(f"CUR file {path} is empty (0 bytes)")
    try:
        return [r[0] for r in conn.execute("describe select * from read_parquet(?, hive_partitioning = false)", [str(path)]).fetchall()]
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
    """Read CUR 2.0 Parquet files into ``_cur_stage``; return the source columns present in any file."""
    file_columns = check_required_columns(conn, files)
    conn.execute(
        "create or replace temp table _cur_stage as select * from read_parquet(?, union_by_name = true, "
        "hive_partitioning = false, filename = true, file_row_number = true)",
        [[str(f) for f in files]],
    )
    return sorted({c for cols in file_columns.values() for c in cols})


SourceStager = Callable[[duckdb.DuckDBPyConnection], list[str]]


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
    """
    schema, table = target.split(".")
    known = [(n, t) for n, t in table_columns(conn, schema, table) if not n.startswith("_")]
    known_names = {n for n, _ in known}
    extras = [c for c in present if c not in known_names and c not in _READER_COLUMNS]
    missing_optional = [n for n, _ in known if n not in present]
    select_cols: list[str] = []
    cast_problems: list[str] = []
    for name, dtype in known:
        if name in present:
            select_cols.append(f"try_cast({_q(name)} as {dtype}) as {_q(name)}")
            if not dtype.upper().startswith("MAP"):
                cast_problems.append(
                    f"when {_q(name)} is not null and try_cast({_q(name)} as {dtype}) is null "
                    f"then 'column {name}: value not readable as {dtype}'"
                )
        else:
            select_cols.append(f"cast(null as {dtype}) as {_q(name)}")
    extra_expr = (
        "to_json(struct_pack(" + ", ".join(f"{_q(c)} := {_q(c)}" for c in extras) + "))" if extras else "cast(null as json)"
    )
    reason = (
        "case when identity_line_item_id is null or identity_line_item_id = '' then 'missing identity_line_item_id' "
        "when identity_time_interval is null then 'missing identity_time_interval' "
        + " ".join(cast_problems)
        + " when line_item_unblended_cost is null then 'missing line_item_unblended_cost'"
        " when line_item_currency_code is null or line_item_currency_code = '' then 'missing line_item_currency_code'"
        + " when _dup_rank > 1 then 'duplicate line item: identity_line_item_id and identity_time_interval "
        "already loaded from ' || _first_file || ' row ' || _first_row::varchar else null end"
    )
    conn.execute(
        """
        create or replace temp table _cur_ranked as
        select *,
               row_number() over w as _dup_rank,
               first(filename) over w as _first_file,
               first(file_row_number) over w as _first_row
        from _cur_stage
        window w as (partition by identity_line_item_id, identity_time_interval
                     order by filename, file_row_number
                     rows between unbounded preceding and unbounded following)
        """
    )
    conn.execute(f"create or replace temp table _cur_judged as select *, {reason} as _reason from _cur_ranked")
    loaded_at = conn.execute("select now()").fetchone()[0]
    conn.execute(
        f"""
        insert into {target}
        select {", ".join(select_cols)},
               ? as _billing_period, ? as _delivery_id, filename as _source_file,
               file_row_number as _source_row, {extra_expr} as _extra_columns,
               ? as _load_id, ? as _loaded_at
        from _cur_judged where _reason is null
        """,
        [billing_period, delivery_id, load_id, loaded_at],
    )
    record_expr = "to_json(struct_pack(" + ", ".join(
        f"{_q(c)} := {_q(c)}" for c in present if c not in _READER_COLUMNS
    ) + "))"
    conn.execute(
        f"insert into {quarantine} select ?, ?, filename, file_row_number, _reason, {record_expr}, ? "
        "from _cur_judged where _reason is not null",
        [billing_period, load_id, loaded_at],
    )
    record_source_totals(
        conn, load_id=load_id, source=source_name(target), partition_key=billing_period,
        select_sql="select ?, 'AWS', line_item_currency_code, count(*), "
                   "sum(try_cast(line_item_unblended_cost as decimal(38, 10))), "
                   "coalesce(sum(try_cast(line_item_unblended_cost as decimal(38, 10))) filter (_reason is not null), 0) "
                   "from _cur_judged group by line_item_currency_code",
        params=[billing_period],
    )
    rows_read, rows_quarantined = conn.execute("select count(*), count(_reason) from _cur_judged").fetchone()
    for t in ("_cur_stage", "_cur_ranked", "_cur_judged"):
        conn.execute(f"drop table if exists {t}")
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
    if not files:
        raise ValueError(f"CUR delivery {delivery_id} for {billing_period} lists no data files")
    names = display_paths or [str(f) for f in files]
    inputs = [InputFile.of(f, display_path=n) for f, n in zip(files, names)]
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
