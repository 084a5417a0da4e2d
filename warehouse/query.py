"""Read-only SQL on the warehouse for ``infraledger sql``: queries only, no writes, no files, no extensions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.connection import WarehouseLockedError, connect
from warehouse.snapshot import published_at, snapshot_path

ALLOWED_STATEMENTS = {"SELECT", "EXPLAIN"}
READ_ONLY_CONFIG: dict[str, str] = {
    "enable_external_access": "false",  # no read_csv('/etc/passwd'), no ATTACH, no COPY TO, no httpfs
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
    "allow_community_extensions": "false",
    "lock_configuration": "true",  # a query cannot SET its way back out of the above
}


class QueryRefused(PermissionError):
    """The statement is not a read-only query."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    note: str | None = None  # set when the answer came from the read snapshot, saying as of when


def check_read_only(conn: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but SELECT / EXPLAIN statements, with a message naming the statement type."""
    try:
        statements = conn.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"cannot parse the query: {exc}") from exc
    if not statements:
        raise QueryRefused("no statement given")
    for st in statements:
        kind = st.type.name
        if kind not in ALLOWED_STATEMENTS:
            article = "an" if kind[:1] in "AEIOU" else "a"
            raise QueryRefused(
                f"refused: `infraledger sql` is read-only and runs only SELECT queries; got {article} {kind} statement"
            )


_SHOW_TABLES = re.compile(r"\s*show\s+tables\s*;?\s*", re.IGNORECASE)
# DuckDB's own SHOW TABLES lists only the default schema, which is empty here: list every schema's tables and views
def run_query(warehouse_path: str | Path, sql: str, *, wait_s: float = 5.0, use_snapshot: bool = True,
              params: dict[str, object] | None = None) -> QueryResult:
    """Run ``sql`` (with its named ``$params``) on a read-only connection with external access disabled.

    While a run holds the warehouse, wait up to ``wait_s`` seconds, then answer from the read snapshot published
    after the last successful run (``use_snapshot``), or raise :class:`WarehouseLockedError` saying why.
    """
    note = None
    try:
        conn = connect(warehouse_path, read_only=True, config=READ_ONLY_CONFIG, wait_s=wait_s)
    except WarehouseLockedError:
        when = published_at(warehouse_path)
        if not use_snapshot or when is None:
            raise
        conn = connect(snapshot_path(warehouse_path), read_only=True, config=READ_ONLY_CONFIG, wait_s=wait_s)
        note = (f"a run is writing to the warehouse; answered from the read snapshot of the last successful run "
                f"({when:%Y-%m-%d %H:%M:%S} UTC)")
    if _SHOW_TABLES.fullmatch(sql):
        from warehouse.statements import statement  # statements reads through run_query

        sql = statement("every_table_and_view")
    try:
        check_read_only(conn, sql)
        try:
            cur = conn.execute(sql, params) if params else conn.execute(sql)
        except duckdb.PermissionException as exc:
            raise QueryRefused(f"refused: {exc}") from exc
        columns = [d[0] for d in cur.description] if cur.description else []
        return QueryResult(columns=columns, rows=cur.fetchall(), note=note)
    finally:
        conn.close()
