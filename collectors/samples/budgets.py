"""The sample's budgets (``budgets.yaml``, the default ``budgets_file``): sized so a sample period shows each status.
At about $4,500 a day, the whole bill's month-end forecast passes 80 % of $150,000 (a warning on the forecast),
batch-eval's month to date passes its $100 (over budget), chat-api's and the research account's stay within."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from collectors.samples import world

BUDGETS = [
    {"name": "all-cloud", "scope": "total", "amount": 150000, "currency": "USD", "warn_at_percent": 80,
     "basis": "forecast"},
    {"name": "chat-api", "scope": "service", "match": "chat-api", "amount": 200000, "currency": "USD",
     "warn_at_percent": 80, "basis": "forecast"},
    {"name": "batch-eval-experiments", "scope": "service", "match": "batch-eval", "amount": 100, "currency": "USD",
     "warn_at_percent": 90, "basis": "actual"},
    {"name": "ml-research-account", "scope": "account", "match": world.ACCOUNTS["ml-research"], "amount": 20000,
     "currency": "USD", "warn_at_percent": 80, "basis": "forecast"},
]


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    """Write ``out/budgets.yaml`` (the same whatever the period: budgets are monthly amounts)."""
    (out / "budgets.yaml").write_text("# Monthly budgets of the sample (see collectors/samples/budgets.py)\n"
                                      + yaml.safe_dump(BUDGETS, sort_keys=False))
    return {"budgets": len(BUDGETS)}
