"""The headline tables `infraledger --verbose demo` prints, read from the marts by the headline statements."""

from __future__ import annotations

from pathlib import Path

from warehouse.query import run_query
from warehouse.statements import QUERIES_DIR, statement

def format_table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[str(c) for c in columns]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def headline_report(warehouse_path: Path) -> str:
    """Every ``headline_<n>_*`` statement (warehouse/sql/queries), titled by its first comment line, as a table."""
    parts = []
    for path in sorted(QUERIES_DIR.glob("headline_*.sql")):
        title = path.read_text().splitlines()[0].removeprefix("--").strip()
        res = run_query(warehouse_path, statement(path.stem))
        parts.append(f"{title}\n{format_table(res.columns, res.rows)}")
    return "\n\n".join(parts)
