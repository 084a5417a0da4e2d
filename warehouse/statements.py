"""Named SQL statements, kept as files beside the DDL (``warehouse/sql/queries/<name>.sql``) and run with named
parameters (``$period``), never assembled from strings."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from warehouse.query import run_query
from warehouse.schema import SQL_DIR

QUERIES_DIR = SQL_DIR / "queries"


@cache
def statement(name: str) -> str:
    """The text of ``queries/<name>.sql``; a name without a file is an error naming the folder."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no statement {name!r} in {QUERIES_DIR}")
    return path.read_text()


def run(conn: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
    """Execute the named statement with its parameters; the connection's cursor holds the result."""
    return conn.execute(statement(name), params) if params else conn.execute(statement(name))


def read(warehouse_path: str | Path, name: str, **params: Any) -> list[tuple]:
    """The rows of the named (read-only) statement on the warehouse, answered as ``infraledger sql`` answers."""
    return run_query(warehouse_path, statement(name), params=params or None).rows


def scalar(conn: duckdb.DuckDBPyConnection, name: str, **params: Any) -> Any:
    """The single value the named statement returns."""
    return run(conn, name, **params).fetchone()[0]
