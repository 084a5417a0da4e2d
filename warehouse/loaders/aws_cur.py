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
    """Expose CUR 2.0 Parquet files as the view ``_cur_stage``; return the source columns present in any file.

    A view, not a copy: the judging pass reads only the columns it judges, and the insert streams the good rows
    straight from the files (a CUR month is read about once, as DuckDB's own load would).
    """
    file_columns = check_required_columns(conn, files)
    listing = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    conn.execute(
        f"create or replace temp view _cur_stage as select * from read_parquet([{listing}], union_by_name = true, "
        "hive_partitioning = false, filename = true, file_row_number = true)"
    )
    return sorted({c for cols in file_columns.values() for c in cols})


SourceStager = Callable[[duckdb.DuckDBPyConnection], list[str]]
_WORK = ("_cur_rejects", "_cur_dups")


def _stage_types(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("describe select * from _cur_stage").fetchall()}


def _drop_stage(conn: duckdb.DuckDBPyConnection) -> None:
    kind = conn.execute(
        "select table_type from information_schema.tables where table_name = '_cur_stage' and table_catalog = 'temp'"
    ).fetchone()
    if kind:
        conn.execute(f"drop {'view' if kind[0] == 'VIEW' else 'table'} _cur_stage")


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
    select_cols: list[str] = []
    cast_problems: list[str] = []
    for name, dtype in known:
        if name not in present:
            select_cols.append(f"cast(null as {dtype}) as {_q(name)}")
        elif source_types.get(name, "").upper() == dtype.upper():
            select_cols.append(_q(name))
        else:
            select_cols.append(f"try_cast({_q(name)} as {dtype}) as {_q(name)}")
            if not dtype.upper().startswith("MAP"):
                cast_problems.append(
                    f"when {_q(name)} is not null and try_cast({_q(name)} as {dtype}) is null "
                    f"then 'column {name}: value not readable as {dtype}'"
                )
    extra_expr = (
        "to_json(struct_pack(" + ", ".join(f"{_q(c)} := {_q(c)}" for c in extras) + "))" if extras else "cast(null as json)"
    )
    reason = (
        "case when identity_line_item_id is null or identity_line_item_id = '' then 'missing identity_line_item_id' "
        "when identity_time_interval is null then 'missing identity_time_interval' "
        + " ".join(cast_problems)
        + " when line_item_unblended_cost is null then 'missing line_item_unblended_cost'"
        " when line_item_currency_code is null or line_item_currency_code = '' then 'missing line_item_currency_code'"
        " when d.first_file is not null then 'duplicate line item: identity_line_item_id and identity_time_interval "
        "already loaded from ' || d.first_file || ' row ' || d.first_row::varchar else null end"
    )
    # Later copies of a line item: only keys that occur more than once are ranked.
    conn.execute(
        """
        create or replace temp table _cur_dups as
        with keys as (
            select identity_line_item_id as id, identity_time_interval as iv, filename, file_row_number
            from _cur_stage
        ), repeated as (
            select id, iv from keys group by id, iv having count(*) > 1
        )
        select filename, file_row_number, first_file, first_row from (
            select k.filename, k.file_row_number,
                   row_number() over w as rank,
                   first(k.filename) over w as first_file,
                   first(k.file_row_number) over w as first_row
            from keys k semi join repeated r on k.id is not distinct from r.id and k.iv is not distinct from r.iv
            window w as (partition by k.id, k.iv order by k.filename, k.file_row_number
                         rows between unbounded preceding and unbounded following)
        ) where rank > 1
        """
    )
    conn.execute(
        f"""
        create or replace temp table _cur_rejects as
        select * from (
            select s.filename, s.file_row_number, {reason} as _reason
            from _cur_stage s left join _cur_dups d using (filename, file_row_number)
        ) where _reason is not null
        """
    )
    loaded_at = conn.execute("select now()").fetchone()[0]
    conn.execute(
        f"""
        insert into {target}
        select {", ".join(select_cols)},
               ? as _billing_period, ? as _delivery_id, filename as _source_file,
               file_row_number as _source_row, {extra_expr} as _extra_columns,
               ? as _load_id, ? as _loaded_at
        from _cur_stage anti join _cur_rejects using (filename, file_row_number)
        """,
        [billing_period, delivery_id, load_id, loaded_at],
    )
    record_expr = "to_json(struct_pack(" + ", ".join(
        f"{_q(c)} := s.{_q(c)}" for c in present if c not in _READER_COLUMNS
    ) + "))"
    conn.execute(
        f"insert into {quarantine} select ?, ?, s.filename, s.file_row_number, r._reason, {record_expr}, ? "
        "from _cur_stage s join _cur_rejects r using (filename, file_row_number)",
        [billing_period, load_id, loaded_at],
    )
    record_source_totals(
        conn, load_id=load_id, source=source_name(target), partition_key=billing_period,
        select_sql="select ?, 'AWS', s.line_item_currency_code, count(*), "
                   "sum(try_cast(s.line_item_unblended_cost as decimal(38, 10))), "
                   "coalesce(sum(try_cast(s.line_item_unblended_cost as decimal(38, 10))) "
                   "filter (r._reason is not null), 0) "
                   "from _cur_stage s left join _cur_rejects r using (filename, file_row_number) "
                   "group by s.line_item_currency_code",
        params=[billing_period],
    )
    rows_read = conn.execute("select coalesce(sum(rows_read), 0) from audit.source_totals where load_id = ?",
                             [load_id]).fetchone()[0]
    rows_quarantined = conn.execute("select count(*) from _cur_rejects").fetchone()[0]
    for t in _WORK:
        conn.execute(f"drop table if exists {t}")
    _drop_stage(conn)
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
