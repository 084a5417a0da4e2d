"""Read access to the quarantine tables (rows loaders refused, with the reason)."""

from __future__ import annotations

import duckdb


def quarantine_summary(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    """``(table, partition_key, reason, rows)`` for every quarantine table, largest first."""
    tables = [
        r[0]
        for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'quarantine' order by 1"
        ).fetchall()
    ]
    out: list[tuple[str, str, str, int]] = []
    for t in tables:
        for pk, reason, n in conn.execute(
            f'select partition_key, regexp_replace(reason, \' from .*$\', \'\'), count(*) from quarantine."{t}" group by all'
        ).fetchall():
            out.append((t, pk, reason, n))
    return sorted(out, key=lambda r: -r[3])


def quarantine_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute("select table_name from information_schema.tables "
                                       "where table_schema = 'quarantine' order by 1").fetchall()]


def quarantined_rows(conn: duckdb.DuckDBPyConnection, table: str, limit: int
                     ) -> list[tuple[str, str, int | None, str, str]]:
    """The rows of one quarantine table, newest first: ``(partition_key, source_file, source_row, reason, record)``.
    An unknown table raises ``ValueError`` naming the tables that exist."""
    known = quarantine_tables(conn)
    name = table.removeprefix("quarantine.")
    if name not in known:
        raise ValueError(f"no quarantine table {table!r}; the tables are {', '.join(known)}")
    return conn.execute(
        f'select partition_key, source_file, source_row, reason, cast(record as varchar) from quarantine."{name}" '
        "order by quarantined_at desc, source_file, source_row limit ?", [limit]).fetchall()
