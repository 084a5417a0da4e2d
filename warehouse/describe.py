"""Describe warehouse tables for the UI: the columns the DDL declares, and a table's row count, columns and first
rows as they are now."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import duckdb

from warehouse.statements import run
from warehouse.templates import execute, fetch_one

from warehouse.schema import apply_ddl


@dataclass(frozen=True)
class TableDescription:
    rows: int | None                        # None for a view (counting its rows would evaluate it)
    columns: list[tuple[str, str]]          # (name, DuckDB type)
    preview: list[tuple]                    # first rows, in column order


def _columns(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    return run(conn, "table_columns", schema=schema, table=table).fetchall()


@cache
def declared_columns() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """{(schema, table): columns} of every table the DDL creates (raw, quarantine, audit), from an in-memory copy."""
    conn = duckdb.connect()
    try:
        apply_ddl(conn)
        tables = run(conn, "declared_tables").fetchall()
        return {(s, t): tuple(_columns(conn, s, t)) for s, t in tables}
    finally:
        conn.close()


def describe(conn: duckdb.DuckDBPyConnection, schema: str, table: str, preview_rows: int = 0) -> TableDescription | None:
    """Row count, columns and the first ``preview_rows`` rows of ``schema.table``; None when it does not exist. A
    view has no row count: counting it evaluates it over every row of its sources (the telemetry staging view's
    de-duplicating window over all history made each dbt run slower day by day)."""
    columns = _columns(conn, schema, table)
    if not columns:
        return None
    is_view = run(conn, "table_type", schema=schema, table=table).fetchone()[0] == "VIEW"
    rows = None if is_view else fetch_one(conn, "catalog/table_rows", schema=schema, table=table)[0]
    preview = execute(conn, "catalog/table_preview", {"limit": int(preview_rows)}, schema=schema,
                      table=table).fetchall() if preview_rows else []
    return TableDescription(rows=rows, columns=columns, preview=preview)
