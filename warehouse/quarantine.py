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
