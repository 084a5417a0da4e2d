"""How `infraledger sql` prints answers: money readable in tables, exact numbers in CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from pipelines.headlines import format_table

_DECIMAL = "__infraledger_decimal__"


def _table_cell(v: object) -> object:
    """A DECIMAL (money is DECIMAL(38, 10)) rounded for reading: 2 decimals, 4 below one unit; exact elsewhere."""
    if isinstance(v, Decimal):
        places = Decimal("0.01") if abs(v) >= 1 or v == 0 else Decimal("0.0001")
        return f"{v.quantize(places):,}"
    return v


def as_table(columns: list[str], rows: list[tuple]) -> str:
    return format_table(columns, [tuple(_table_cell(v) for v in r) for r in rows])


def as_csv(columns: list[str], rows: list[tuple]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    w.writerows(rows)   # a Decimal prints in full
    return buf.getvalue()


def as_json(columns: list[str], rows: list[tuple]) -> str:
    """Numbers as JSON numbers (a DECIMAL in full precision, never a string), times and dates as ISO strings."""
    def default(v: object) -> object:
        if isinstance(v, Decimal):
            return f"{_DECIMAL}{v}"
        return v.isoformat() if hasattr(v, "isoformat") else str(v)

    text = json.dumps([dict(zip(columns, r)) for r in rows], default=default, indent=2)
    return re.sub(rf'"{_DECIMAL}(-?[0-9.E+-]+)"', r"\1", text)
