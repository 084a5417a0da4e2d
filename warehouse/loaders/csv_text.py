"""Read a delimited file as text columns, keeping the lines the parser rejects (with their reason) for quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class RejectedLine:
    """A line the CSV parser could not read: too many or too few fields, invalid UTF-8, an open quote."""

    line: int
    reason: str
    csv_line: str | None


def read_csv_as_text(conn: duckdb.DuckDBPyConnection, path: Path, table: str,
                     null_tokens: tuple[str, ...] = ()) -> list[RejectedLine]:
    """Create temp ``table`` with every column as VARCHAR plus ``filename`` and ``file_row_number`` (0-based among
    the lines read); return the rejected lines. Raises ``duckdb.Error`` when the file cannot be read at all."""
    conn.execute("drop table if exists _csv_rejects; drop table if exists _csv_rejects_scan")
    nullstr = f"nullstr = [{', '.join(repr(t) for t in null_tokens)}], " if null_tokens else ""
    conn.execute(
        f"create or replace temp table {table} as select * exclude (filename), filename, "
        "cast(row_number() over () - 1 as bigint) as file_row_number from read_csv(?, all_varchar = true, "
        f"header = true, {nullstr}filename = true, strict_mode = true, store_rejects = true, "
        "rejects_table = '_csv_rejects', rejects_scan = '_csv_rejects_scan')",
        [str(path)],
    )
    rows = conn.execute(
        "select line, error_type::varchar, column_name, csv_line, error_message from _csv_rejects order by line"
    ).fetchall()
    conn.execute("drop table if exists _csv_rejects; drop table if exists _csv_rejects_scan")
    return [
        RejectedLine(line=line, csv_line=text,
                     reason=f"unparseable CSV line {line}: {kind}" + (f" at column {col}" if col else "") + f" ({msg})")
        for line, kind, col, text, msg in rows
    ]
