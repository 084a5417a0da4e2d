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
    """Bring an earlier layout up to date, then apply every DDL file (all idempotent, ``IF NOT EXISTS``)."""
    _split_prometheus_labels(conn)
    for path in ddl_files():
        conn.execute(path.read_text())


def _split_prometheus_labels(conn: duckdb.DuckDBPyConnection) -> None:
    """Before 0.3 every Prometheus point carried its labels; move them to raw.prometheus_series, keeping the rows."""
    cols = {c for c, _ in table_columns(conn, "raw", "prometheus_samples")}
    if "series_labels" not in cols:
        return
    from warehouse.statements import run  # statements reads its files from this module's SQL_DIR

    conn.begin()
    conn.execute("alter table raw.prometheus_samples rename to prometheus_samples_v1")
    for path in ddl_files():
        if path.name.startswith("071_"):
            conn.execute(path.read_text())
    run(conn, "prometheus_v1_series")
    run(conn, "prometheus_v1_points")
    conn.execute("drop table raw.prometheus_samples_v1")
    conn.commit()


def ensure_warehouse(path: str | Path) -> Path:
    """Create the warehouse file and its schemas if missing; return the path."""
    path = Path(path)
    with writer(path) as conn:
        apply_ddl(conn)
    return path


def table_columns(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    """``(name, type)`` of a table's columns in declaration order."""
    from warehouse.statements import run

    return [(r[0], r[1]) for r in run(conn, "table_columns", schema=schema, table=table).fetchall()]
