"""The short summary a run ends with: what the month cost, what 1,000 requests and a million tokens cost per service,
what is not allocated and why, PUE, and where to look next. Read from the marts; amortized (net) is the headline view,
the billed figure is labelled as the invoice view."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipelines.cost_views import AMORTIZED, BILLED, VIEWS_EXPLAINED, unallocated_by_reason
from warehouse.query import run_query

_MONTH = "select max(strftime(day, '%Y-%m')) from marts.fct_cost_allocation_daily"


def _money(v: object, currency: str) -> str:
    return "-" if v is None else f"{Decimal(str(v)):,.2f} {currency}"


def summary_lines(warehouse: Path, reports_dir: Path | None = None) -> list[str]:
    """The summary as lines of text (empty marts say so rather than print zeros)."""
    month = run_query(warehouse, _MONTH).rows[0][0]
    if month is None:
        return ["no cost data yet: load a billing export first (`infraledger materialize`)"]
    in_month = f"strftime(day, '%Y-%m') = '{month}'"
    lines = [f"infraledger summary, {month} to date ({VIEWS_EXPLAINED})"]
    for currency, amortized, billed in run_query(warehouse, f"""
            select currency, sum(net_effective_cost), sum(net_billed_cost)
            from marts.fct_cost_allocation_daily where {in_month} group by 1 order by 1""").rows:
        lines.append(f"  cost: {_money(amortized, currency)} {AMORTIZED}  ({_money(billed, currency)} {BILLED})")
    services = run_query(warehouse, f"""
        select service, currency, sum(net_cost_amortized), sum(requests),
               sum(net_cost_amortized) * 1000 / nullif(sum(requests), 0),
               sum(net_cost_amortized) * 1000000 / nullif(sum(prompt_tokens + generation_tokens), 0),
               sum(gpu_hours), any_value(cost_note)
        from marts.fct_unit_economics_daily where {in_month}
        group by all order by 3 desc nulls last, 1""").rows
    if services:
        lines.append("  per service (amortized; the unallocated cost listed after them is in none of these figures):")
        width = max(len("unallocated"), *(len(str(s[0])) for s in services))
        for service, currency, cost, requests, per_1k, per_1m, gpu_hours, note in services:
            unit = (f"{_money(per_1k, currency)} per 1k requests, {_money(per_1m, currency)} per 1M tokens"
                    if requests else f"no requests counted; {gpu_hours or 0:,.1f} GPU-hours")
            lines.append(f"    {str(service).ljust(width)}  {_money(cost, currency)}  {unit}"
                         + (f"  ({note})" if note else ""))
    width = max(len("unallocated"), *(len(str(s[0])) for s in services))
    for u in unallocated_by_reason(warehouse, month):
        billed = f"; {u.billed_note()}" if u.views_differ else ""
        share = f", {u.share_amortized:.2%} of the month" if u.share_amortized is not None else ""
        lines.append(f"    {'unallocated'.ljust(width)}  {_money(u.amortized, u.currency)}{share}  ({u.reason}: {u.words}{billed})")
    pue = run_query(warehouse, f"""
        select site, sum(facility_kwh) / nullif(sum(it_kwh), 0) from marts.fct_site_energy_daily
        where {in_month} group by 1 order by 1""").rows
    for site, value in pue:
        if value is not None:
            lines.append(f"  PUE {site}: {float(value):.3f}")
    report = reports_dir / f"infraledger-report-{month}.html" if reports_dir else None
    lines.append("next:")
    if report is not None and report.is_file():
        lines.append(f"  open {report}")
    lines.append("  infraledger ui                     # asset lineage, checks and runs in the Dagster UI")
    lines.append('  infraledger sql "select * from marts.fct_unit_economics_daily order by day desc limit 20"')
    return lines
