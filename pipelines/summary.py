"""The short summary a run ends with: what the month cost, what 1,000 requests and a million tokens cost per service,
what is not allocated and why, PUE, and where to look next. Read from the marts; amortized (net) is the headline view,
the billed figure is labelled as the invoice view."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipelines.cost_views import AMORTIZED, BILLED, VIEWS_EXPLAINED, unallocated_by_reason
from warehouse.statements import read


def _money(v: object, currency: str) -> str:
    return "-" if v is None else f"{Decimal(str(v)):,.2f} {currency}"


def summary_lines(warehouse: Path, reports_dir: Path | None = None) -> list[str]:
    """The summary as lines of text (empty marts say so rather than print zeros)."""
    month = read(warehouse, "summary_latest_month")[0][0]
    if month is None:
        return ["no cost data yet: load a billing export first (`infraledger materialize`)"]
    lines = [f"infraledger summary, {month} to date ({VIEWS_EXPLAINED})"]
    for currency, amortized, billed in read(warehouse, "summary_month_cost", month=month):
        lines.append(f"  cost: {_money(amortized, currency)} {AMORTIZED}  ({_money(billed, currency)} {BILLED})")
    services = read(warehouse, "summary_service_costs", month=month)
    width = max(len("unallocated"), *(len(str(s[0])) for s in services))
    if services:
        lines.append("  per service (amortized; the unallocated cost listed after them is in none of these figures):")
        for service, currency, cost, requests, per_1k, per_1m, gpu_hours, note in services:
            unit = (f"{_money(per_1k, currency)} per 1k requests, {_money(per_1m, currency)} per 1M tokens"
                    if requests else f"no requests counted; {gpu_hours or 0:,.1f} GPU-hours")
            lines.append(f"    {str(service).ljust(width)}  {_money(cost, currency)}  {unit}"
                         + (f"  ({note})" if note else ""))
    for u in unallocated_by_reason(warehouse, month):
        note = u.billed_note()
        billed = f"; {note}" if note else ""
        share = f", {u.share_amortized:.2%} of the month" if u.share_amortized is not None else ""
        lines.append(f"    {'unallocated'.ljust(width)}  {_money(u.amortized, u.currency)}{share}"
                     f"  ({u.reason}: {u.words}{billed})")
    pue = read(warehouse, "summary_pue_by_site", month=month)
    for site, value in pue:
        if value is not None:
            lines.append(f"  PUE {site}: {float(value):.3f}")
    report = reports_dir / f"infraledger-report-{month}.html" if reports_dir else None
    lines.append("next:")
    if report is not None and report.is_file():
        lines.append(f"  open {report}")
    lines.append("  infraledger ui                     # asset lineage, checks and runs in the Dagster UI")
    lines.append('  infraledger sql "select * from marts.fct_service_costs_monthly"   # these figures, as a table')
    return lines
