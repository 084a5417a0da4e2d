"""Create the warehouse schemas and the tables owned outside dbt (raw, quarantine, audit)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from warehouse.connection import writer

SQL_DIR = Path(str(resources.files("warehouse") / "sql"))


def ddl_files() -> list[Path]:
    """The DDL files in the order they are applied (their numeric prefix)."""
    return sorted(SQL_DIR.glob("[0-9][0-9][0-9]_*.sql"))


def apply_ddl(conn: duckdb.DuckDBPyConnection) -> None:
    """Apply every DDL file; all statements are idempotent (``IF NOT EXISTS``)."""
    for path in ddl_files():
        conn.execute(path.read_text())


def ensure_warehouse(path: str | Path) -> Path:
    """Create the warehouse file and its schemas if missing; return the path."""
    path = Path(path)
    with writer(path) as conn:
        apply_ddl(conn)
    return path


def table_columns(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    """``(name, type)`` of a table's columns in declaration order."""
    rows = conn.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]
