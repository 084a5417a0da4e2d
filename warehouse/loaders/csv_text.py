"""Read a delimited file as text columns, keeping the lines the parser rejects (with their reason) for quarantine."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.templates import execute


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
    execute(conn, "common/drop_csv_rejects")
    execute(conn, "common/read_csv_text", {"path": str(path)}, table=table, null_tokens=list(null_tokens))
    rows = execute(conn, "common/csv_rejects").fetchall()
    execute(conn, "common/drop_csv_rejects")
    return [
        RejectedLine(line=line, csv_line=text,
                     reason=f"unparseable CSV line {line}: {kind}" + (f" at column {col}" if col else "") + f" ({msg})")
        for line, kind, col, text, msg in rows
    ]


def quarantine_rejected_lines(conn: duckdb.DuckDBPyConnection, quarantine: str, *, partition_key: str, load_id: str,
                              path: Path, rejects: Sequence[RejectedLine]) -> int:
    """Put the parser's rejected lines of ``path`` into ``quarantine`` (line number, reason, the line's text);
    return how many."""
    for r in rejects:
        execute(conn, "common/quarantine_line", {
            "partition_key": partition_key, "load_id": load_id, "source_file": str(path), "line": r.line,
            "reason": r.reason, "record": json.dumps({"csv_line": r.csv_line})}, quarantine=quarantine)
    return len(rejects)
