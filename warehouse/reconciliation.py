"""Reconcile the cost marts to what the delivered files held, per provider, billing period and currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

from warehouse.statements import run

CENT = Decimal("0.005")

@dataclass(frozen=True)
class Difference:
    provider_name: str
    billing_period: str
    currency: str
    expected: Decimal | None
    actual: Decimal | None

    def as_dict(self) -> dict[str, str]:
        return {"provider": self.provider_name, "billing_period": self.billing_period, "currency": self.currency,
                "expected_from_files": str(self.expected), "in_fct_cost": str(self.actual)}


def reconcile(conn: duckdb.DuckDBPyConnection) -> tuple[int, list[Difference]]:
    """(groups compared, groups whose Σ billed cost differs by half a cent or more, or exists on one side only)."""
    expected = {(p, b, c): v for p, b, c, v in run(conn, "reconcile_expected").fetchall()}
    actual = {(p, b, c): v for p, b, c, v in run(conn, "reconcile_actual").fetchall()}
    diffs = []
    for key in sorted(set(expected) | set(actual)):
        e, a = expected.get(key), actual.get(key)
        if e is None or a is None or abs(e - a) >= CENT:
            diffs.append(Difference(*key, expected=e, actual=a))
    return len(set(expected) | set(actual)), diffs
