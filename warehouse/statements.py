"""Named SQL statements, kept as files beside the DDL (``warehouse/sql/queries/<name>.sql``) and run with named
parameters (``$period``), never assembled from strings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from warehouse.query import run_query
from warehouse.schema import SQL_DIR

QUERIES_DIR = SQL_DIR / "queries"
# the read-only statements behind the report, the demo's summary, `infraledger status` and the headline tables: users
# run the same ones with `infraledger sql --saved <name>`, so every reader sees the same figures
SAVED_PREFIXES = ("headline_", "report_", "summary_", "status_")


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str              # the statement's first comment line
    params: tuple[str, ...]  # its $named parameters


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


def saved_queries() -> list[SavedQuery]:
    """The shared read-only statements, by name."""
    out = []
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        if path.stem.startswith(SAVED_PREFIXES):
            text = statement(path.stem)
            first = text.splitlines()[0] if text else ""
            title = first.removeprefix("--").strip() if first.startswith("--") else ""
            params = tuple(dict.fromkeys(re.findall(r"\$([A-Za-z_]\w*)", text)))
            out.append(SavedQuery(path.stem, title, params))
    return out
