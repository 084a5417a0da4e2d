"""Reconcile the cost marts to what the delivered files held, per provider, billing period and currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

CENT = Decimal("0.005")

# Expected: the latest successful load of each replaced partition, and every successful incremental load.
EXPECTED_SQL = """
with loads as (
    select *, row_number() over (partition by source, partition_key order by finished_at desc) as newest
    from audit.loads where status = 'success'
),
current_loads as (
    select load_id from loads where source = 'gcp_billing' or newest = 1
)
select t.provider_name, t.billing_period, coalesce(t.currency, '?') as currency,
       sum(t.file_total - t.quarantined_total) as expected
from audit.source_totals t join current_loads using (load_id)
group by all
"""

ACTUAL_SQL = """
select provider_name, strftime(billing_period_start, '%Y-%m') as billing_period,
       coalesce(billing_currency, '?') as currency, sum(billed_cost) as actual
from marts.fct_cost group by all
"""


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
    expected = {(p, b, c): v for p, b, c, v in conn.execute(EXPECTED_SQL).fetchall()}
    actual = {(p, b, c): v for p, b, c, v in conn.execute(ACTUAL_SQL).fetchall()}
    diffs = []
    for key in sorted(set(expected) | set(actual)):
        e, a = expected.get(key), actual.get(key)
        if e is None or a is None or abs(e - a) >= CENT:
            diffs.append(Difference(*key, expected=e, actual=a))
    return len(set(expected) | set(actual)), diffs
