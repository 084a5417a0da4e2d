"""``infraledger report --month YYYY-MM``: one self-contained HTML file (inline SVG drawn by matplotlib, no scripts, no
links out). A headline row of totals first, then cost per 1,000 requests per service (amortized, the headline view;
billed is labelled as the invoice view) with the unallocated cost and its reason beside the services, the GPU activity
heatmap, idle cost, egress by class, rack kW and PUE."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path

from pipelines.cost_views import unallocated_by_reason
from pipelines.report import charts
from warehouse.query import run_query

# A day is partial when less than this share of it was observed; it is marked, not drawn as a dip.
PARTIAL_BELOW = 0.95


@dataclass(frozen=True)
class Section:
    """A titled chart (inline SVG, may be empty) and a table (may be empty) of the figures beside it."""

    title: str
    chart: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    tiles: bool = False  # one labelled figure per column (a headline row), wrapping to the page's width

    def html_table(self) -> str:
        if not self.columns:
            return ""
        if self.tiles:
            return "".join('<div class="tiles">' + "".join(
                f'<div class="tile"><span>{escape(c)}</span><b>{escape(_cell(v))}</b></div>'
                for c, v in zip(self.columns, row)) + "</div>" for row in self.rows)
        return _table(list(self.columns), list(self.rows))

    def markdown_table(self) -> str:
        if not self.columns:
            return ""
        lines = ["| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        lines += ["| " + " | ".join(_cell(v).replace("|", "/") for v in r) + " |" for r in self.rows]
        return "\n".join(lines)


def _rows(wh: Path, sql: str) -> list[tuple]:
    return run_query(wh, sql).rows


def _series(rows: list[tuple]) -> dict[str, dict[dt.date, float | None]]:
    out: dict[str, dict[dt.date, float | None]] = {}
    for day, name, value in rows:
        out.setdefault(str(name), {})[day] = None if value is None else float(value)
    return dict(sorted(out.items()))


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):  # rounded in SQL to its unit: money to cents, unit costs to 4 places
        return f"{v:,}"
    if isinstance(v, float):  # rounded in SQL
        return f"{v:,}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _table(columns: list[str], rows: list[tuple]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _currency(wh: Path, in_month: str) -> str:
    found = [r[0] for r in _rows(wh, f"select distinct currency from marts.fct_cost_allocation_daily where {in_month} "
                                     "order by 1")]
    return "/".join(found) or "billing currency"


def headline_totals(wh: Path, month: str) -> tuple[list[str], list[tuple]]:
    """The month's totals, one row per billing currency, from marts.fct_headline_monthly."""
    rows = _rows(wh, f"""
        select currency, {_cents('net_cost_amortized')}, {_cents('net_cost_billed')},
               {_cents('unallocated_amortized')}, cast(requests as bigint), {_unit('cost_per_1k_requests')},
               {_unit('cost_per_1m_tokens')}, round(gpu_hours, 1), {_cents('idle_cost')}, round(egress_gb, 1),
               round(it_kwh, 1), pue
        from marts.fct_headline_monthly where month = date '{month}-01' order by currency""")
    cur = "/".join(r[0] for r in rows) or "billing currency"
    columns = ["currency", f"cost, amortized ({cur})", f"cost, billed: invoice view ({cur})",
               f"of which unallocated ({cur})", "requests", f"cost per 1,000 requests ({cur})",
               f"cost per 1M tokens ({cur})", "GPU-hours", f"idle GPU cost ({cur})", "egress (GB)", "IT energy (kWh)",
               "PUE"]
    out = [(*r[:-1], None if r[-1] is None else f"{r[-1]:.3f}") for r in rows]
    return columns, out


def service_table(wh: Path, month: str, cur: str) -> tuple[list[str], list[tuple]]:
    """Per service (amortized headline, billed as the invoice view), then the unallocated cost by reason, so the
    per-service figures are read beside what they leave out (marts.fct_service_costs_monthly)."""
    columns = ["service", "requests", f"cost, amortized ({cur})", f"cost, billed: invoice view ({cur})",
               f"cost per 1,000 requests, amortized ({cur})", f"cost per 1M tokens, amortized ({cur})", "GPU-hours",
               "kWh per 1,000 requests", "share of the month's cost"]
    services = _rows(wh, f"""
        select service, cast(requests as bigint), {_cents('net_cost_amortized')}, {_cents('net_cost_billed')},
               {_unit('cost_per_1k_requests')}, {_unit('cost_per_1m_tokens')}, round(gpu_hours, 1),
               round(kwh_per_1k_requests, 4), share_of_month
        from marts.fct_service_costs_monthly
        where month = date '{month}-01' and unallocated_reason is null
        order by net_cost_amortized desc nulls last, service""")
    rows = [(s, r, a, b, p1k, p1m, g, k, None if sh is None else f"{float(sh):.2%}")
            for s, r, a, b, p1k, p1m, g, k, sh in services]
    cent = Decimal("0.01")
    for u in unallocated_by_reason(wh, month):
        note = u.billed_note()
        why = f"unallocated ({u.reason}: {u.words}" + (f"; {note}" if note else "") + ")"
        rows.append((why, None, u.amortized.quantize(cent), u.billed.quantize(cent), None, None, None, None,
                     None if u.share_amortized is None else f"{u.share_amortized:.2%}"))
    return columns, rows


def _cents(expr: str) -> str:
    return f"cast(round({expr}, 2) as decimal(38, 2))"


def _unit(expr: str) -> str:
    return f"cast(round({expr}, 4) as decimal(38, 4))"


def _partial_days(wh: Path, sql: str) -> set[dt.date]:
    return {r[0] for r in _rows(wh, sql)}


def report_sections(wh: Path, month: str) -> list[Section]:
    """The month's report, section by section (the Dagster asset shows the same sections in its metadata)."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValueError(f"--month must be YYYY-MM, not {month!r}")
    in_month = f"strftime(day, '%Y-%m') = '{month}'"
    hour_in_month = f"strftime(hour_start, '%Y-%m') = '{month}'"
    cur = _currency(wh, in_month)
    per_1k = _rows(wh, f"select day, service, cost_per_1k_requests_amortized from marts.fct_unit_economics_daily "
                       f"where {in_month} and requests > 0 order by 1, 2")
    request_partial = _partial_days(wh, f"""
        select cast(hour_start as date) from marts.fct_requests_hourly where {hour_in_month}
        group by 1 having count(distinct hour_start) < 24 * {PARTIAL_BELOW}""")
    heat = _rows(wh, f"""
        select hostname, hour(hour_start), avg(greatest(coalesce(avg_sm_active, 0), coalesce(avg_dram_active, 0)))
        from marts.fct_gpu_utilization_hourly where {hour_in_month} and coverage > 0 group by all""")
    idle = _rows(wh, f"select coalesce(service, '(no workload)'), sum(idle_cost) from marts.fct_gpu_efficiency_daily "
                     f"where {in_month} and idle_cost is not null group by 1 order by 2 desc")
    egress = _rows(wh, f"select egress_class, sum(gb) from marts.fct_egress_daily "
                       f"where {in_month} and egress_class <> 'inbound' group by 1 order by 2 desc")
    rack_kw = _rows(wh, f"select cast(hour_start as date), rack, sum(avg_kw * coverage) / nullif(sum(coverage), 0) "
                        f"from marts.fct_power_rack_hourly where {hour_in_month} group by all")
    rack_partial = _partial_days(wh, f"""
        select cast(hour_start as date) from marts.fct_power_rack_hourly where {hour_in_month}
        group by cast(hour_start as date), rack having sum(coverage) < 24 * {PARTIAL_BELOW}""")
    pue = _rows(wh, f"select day, site, pue from marts.fct_site_energy_daily where {in_month}")
    pue_partial = _partial_days(wh, f"select day from marts.fct_site_energy_daily where {in_month} "
                                    f"and coverage < {PARTIAL_BELOW}")
    totals_cols, totals = headline_totals(wh, month)
    service_cols, services = service_table(wh, month, cur)
    hosts = sorted({r[0] for r in heat})
    return [
        Section("Month to date: totals (amortized is the headline view; billed is the invoice view)", "",
                tuple(totals_cols), tuple(totals), tiles=True),
        Section("Cost per 1,000 requests per service (amortized)",
                charts.daily_lines("cost per 1,000 requests", _series(per_1k), f"{cur} per 1,000 requests",
                                   partial_days=request_partial),
                tuple(service_cols), tuple(services)),
        Section("GPU activity by host and hour of day",
                charts.hour_heatmap("GPU activity", hosts, {(h, int(hr)): float(v) for h, hr, v in heat},
                                    "activity, max of SM and DRAM active (0 to 1)")),
        Section("Idle GPU cost by service (amortized)",
                charts.horizontal_bars("idle GPU cost", [(str(s), float(v)) for s, v in idle], f"idle cost ({cur})")),
        Section("Egress by class (sending side; GB = 10^9 bytes)",
                charts.horizontal_bars("egress", [(str(c), float(v)) for c, v in egress], "egress (GB)")),
        Section("Rack power per day",
                charts.daily_lines("rack power", _series(rack_kw), "average power (kW)", partial_days=rack_partial)),
        Section("PUE per day (facility energy over IT energy)",
                charts.daily_lines("PUE", _series(pue), "PUE (ratio)", partial_days=pue_partial, from_zero=False)),
    ]


_CSS = ("body{font-family:system-ui,sans-serif;max-width:860px;margin:2em auto;color:#111}"
        "table{border-collapse:collapse;font-size:12px;margin-top:8px;max-width:100%}"
        "td,th{border:1px solid #ddd;padding:3px 5px}th{font-size:11px}"
        "td{text-align:right}td:first-child{text-align:left}th{background:#f6f6f6;font-weight:600}"
        ".tiles{display:flex;flex-wrap:wrap;gap:8px}.tile{border:1px solid #ddd;border-radius:4px;padding:6px 10px;"
        "min-width:120px}.tile span{display:block;font-size:11px;color:#555}.tile b{font-size:18px}"
        "svg{max-width:100%;height:auto}"
        "section{margin-bottom:2em}.empty{color:#777}")


def build_report(wh: Path, month: str, sections: list[Section] | None = None) -> str:
    sections = report_sections(wh, month) if sections is None else sections
    body = "".join(f"<section><h2>{escape(s.title)}</h2>{s.chart}{s.html_table()}</section>" for s in sections)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>infraledger report {month}</title>"
            f"<style>{_CSS}</style></head><body>"
            f"<h1>infraledger: {month}</h1><p>Generated {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC from "
            f"the marts of {escape(wh.name)}. Amortized cost spreads commitments (Savings Plans, reservations, "
            "committed use) over their term and is net of negotiated discounts; billed cost is what the invoice "
            f"shows. Days with less than {PARTIAL_BELOW:.0%} of their hours observed are marked as partial.</p>"
            f"{body}</body></html>")


def write_report(wh: Path, month: str, out: Path, sections: list[Section] | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"infraledger-report-{month}.html"
    path.write_text(build_report(wh, month, sections))
    return path
