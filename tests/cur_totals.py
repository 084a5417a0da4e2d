"""Independent totals of CUR Parquet files for the tests: line items deduplicated by identity, summed as Decimal."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq


def dedup_total(files: list[Path]) -> tuple[int, Decimal]:
    """(line items, Σ unblended cost) over ``files``, the first occurrence of each identity counted once."""
    seen: dict[tuple[str, str], float] = {}
    for f in files:
        for r in pq.read_table(f, columns=["identity_line_item_id", "identity_time_interval",
                                           "line_item_unblended_cost"]).to_pylist():
            seen.setdefault((r["identity_line_item_id"], r["identity_time_interval"]), r["line_item_unblended_cost"])
    return len(seen), sum((Decimal(repr(v)) for v in seen.values()), Decimal(0))
