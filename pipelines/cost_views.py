"""One wording for the two cost views and for unallocated cost, shared by the demo summary, the report and `status`.

Amortized (net) is the headline view everywhere: commitments spread over the usage they covered, net of negotiated
discounts. Billed is the invoice view: a Savings Plan or reservation fee is a line of its own there, tied to no
workload, so it stays unallocated and a service's billed cost per 1,000 requests reads lower than its amortized one.
Both views include the on-prem GPU hosts' daily cost (fct_onprem_cost_daily), shared by the GPU time pods held."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from warehouse.statements import read

AMORTIZED = "amortized"
BILLED = "billed: the invoice view"
VIEWS_EXPLAINED = ("amortized = commitments (Savings Plans, reservations, committed use) spread over the usage they "
                   "covered, net of negotiated discounts; billed = the invoice view, where commitment fees are lines "
                   "of their own and stay unallocated; both include on-prem GPU hosts at their daily cost "
                   "(depreciation, support, space, energy)")

REASONS: dict[str, str] = {
    "untagged": "no service tag or label on the bill line",
    "gpu_time_not_held": "GPU instance time no workload's pod held",
    "no_allocated_base": "a tax or fee with no allocated cost that day to split it over",
    "rounding": "the cent left over when a proportional split rounds",
}


def reason_words(reason: str | None) -> str:
    return REASONS.get(reason or "", reason or "unknown")


@dataclass(frozen=True)
class Unallocated:
    reason: str
    currency: str
    amortized: Decimal
    billed: Decimal
    share_amortized: float | None  # of the month's amortized cost

    @property
    def words(self) -> str:
        return reason_words(self.reason)

    def billed_note(self) -> str:
        """Why the invoice view's unallocated amount differs from the amortized one (empty when it does not)."""
        if self.billed == self.amortized:
            return ""
        return (f"billed view {self.billed:,.2f} {self.currency}: commitment fees and the usage they cover are "
                "billed apart there; the amortized view spreads each fee over the usage it covered")


def unallocated_by_reason(warehouse: Path, month: str) -> list[Unallocated]:
    """The month's unallocated cost per reason and currency, in both views, largest amortized first (the
    `unallocated` rows of marts.fct_service_costs_monthly)."""
    rows = read(warehouse, "unallocated_by_reason", month=month)
    return [Unallocated(str(r), str(c), Decimal(a), Decimal(b), None if s is None else float(s))
            for r, c, a, b, s in rows]
