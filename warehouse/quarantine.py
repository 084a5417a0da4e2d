"""Read access to the quarantine tables (rows loaders refused, with the reason)."""

from __future__ import annotations

import duckdb

from warehouse.statements import run
from warehouse.templates import execute


def quarantine_summary(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    """``(table, partition_key, reason, rows)`` for every quarantine table, largest first."""
    out: list[tuple[str, str, str, int]] = []
    for t in quarantine_tables(conn):
        for pk, reason, n in execute(conn, "catalog/quarantine_reasons", table=t).fetchall():
            out.append((t, pk, reason, n))
    return sorted(out, key=lambda r: -r[3])


def quarantine_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in run(conn, "quarantine_tables").fetchall()]


def quarantined_rows(conn: duckdb.DuckDBPyConnection, table: str, limit: int
                     ) -> list[tuple[str, str, int | None, str, str]]:
    """The rows of one quarantine table, newest first: ``(partition_key, source_file, source_row, reason, record)``.
    An unknown table raises ``ValueError`` naming the tables that exist."""
    known = quarantine_tables(conn)
    name = table.removeprefix("quarantine.")
    if name not in known:
        raise ValueError(f"no quarantine table {table!r}; the tables are {', '.join(known)}")
    return execute(conn, "catalog/quarantined_rows", {"limit": limit}, table=name).fetchall()
