"""Find a planted secret anywhere a run could have put it: the Dagster instance's storage (run config, event log,
metadata, compute logs), every text column of the warehouse (audit and quarantine included) and every file under
the given folders (landing area, data docs, reports)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def warehouse_leaks(warehouse: Path, secret: str) -> list[str]:
    """``schema.table.column`` of every VARCHAR/JSON column holding ``secret``."""
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns = conn.execute("select table_schema, table_name, column_name from information_schema.columns "
                               "where data_type in ('VARCHAR', 'JSON') and table_schema not in "
                               "('information_schema', 'pg_catalog')").fetchall()
        return [f"{s}.{t}.{c}" for s, t, c in columns
                if conn.execute(f'select count(*) from "{s}"."{t}" where cast("{c}" as varchar) like ?',
                                [f"%{secret}%"]).fetchone()[0]]
    finally:
        conn.close()


def file_leaks(folders: list[Path], secret: str) -> list[str]:
    """Files under ``folders`` whose bytes contain ``secret`` (DuckDB files are scanned by column instead)."""
    needle = secret.encode()
    return [str(p) for folder in folders if folder.exists() for p in folder.rglob("*")
            if p.is_file() and not p.name.endswith((".duckdb", ".duckdb.wal")) and needle in p.read_bytes()]
