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
    conn.execute("begin transaction")
    conn.execute("alter table raw.prometheus_samples rename to prometheus_samples_v1")
    for path in ddl_files():
        if path.name.startswith("071_"):
            conn.execute(path.read_text())
    key = "hash(list_sort(map_entries(cast(series_labels as map(varchar, varchar)))))"
    conn.execute(f"""
        insert into raw.prometheus_series
        select {key}, any_value(metric), any_value(series_labels), any_value(hostname), any_value(gpu_uuid),
               any_value(gpu_i_id), any_value(pod), any_value(json_extract_string(series_labels, '$.instance')),
               any_value(_load_id)
        from raw.prometheus_samples_v1 group by {key}""")
    conn.execute(f"""
        insert into raw.prometheus_samples
        select sample_time, metric, {key}, value, _partition, _source_file, _load_id, _loaded_at
        from raw.prometheus_samples_v1""")
    conn.execute("drop table raw.prometheus_samples_v1")
    conn.execute("commit")


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
