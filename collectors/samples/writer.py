"""Write a whole sample period for every source: ``infraledger sample-data``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from collectors.samples import aws_cur, budgets, dcgm, gcp_billing, gcp_catalog, inventory, power, serving, spot_prices

WRITERS: tuple[tuple[str, Callable[[Path, date, int, int], dict[str, object]]], ...] = (
    ("aws_cur", aws_cur.write),
    ("gcp_billing", gcp_billing.write),
    ("spot_prices", spot_prices.write),
    ("gcp_catalog", gcp_catalog.write),
    ("dcgm", dcgm.write),
    ("serving", serving.write),
    ("power", power.write),
    ("inventory", inventory.write),
    ("budgets", budgets.write),
)
DEFAULT_START = date(2026, 10, 1)
DEFAULT_DAYS = 7
DEFAULT_SEED = 42


def write_samples(
    out: Path,
    *,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> dict[str, object]:
    """Replace ``out`` with a fresh sample period (same arguments, same bytes) and return what was written."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    summary: dict[str, object] = {"start": start.isoformat(), "days": days, "seed": seed}
    for n, (name, write) in enumerate(WRITERS, start=1):
        if progress:
            progress(f"[{n}/{len(WRITERS)}] {name}")
        summary.update(write(out, start, days, seed))
    return summary
