"""``infraledger report --month YYYY-MM``: one self-contained HTML file (inline SVG drawn by matplotlib, no scripts, no
links out). A headline row of totals first, then cost per 1,000 requests per service (amortized, the headline view;
billed is labelled as the invoice view) with the unallocated cost and its reason beside the services, the GPU activity
heatmap, idle cost, egress by class, rack kW, PUE, commitment utilization, commitment coverage, what more to commit,
cloud vs on-prem per GPU-hour, stranded GPU capacity, right-sizing, training cost per step, cost anomalies and the month
against its budgets."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path

from pipelines.cost_views import unallocated_by_reason
from pipelines.report import charts
from warehouse.statements import read

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


def _currency(wh: Path, month: str) -> str:
    return "/".join(r[0] for r in read(wh, "report_currencies", month=month)) or "billing currency"


def headline_totals(wh: Path, month: str) -> tuple[list[str], list[tuple]]:
    """The month's totals, one row per billing currency, from marts.fct_headline_monthly."""
    rows = read(wh, "report_headline_totals", month=month)
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
    services = read(wh, "report_service_costs", month=month)
    rows = [(s, r, a, b, p1k, p1m, g, k, None if sh is None else f"{float(sh):.2%}")
            for s, r, a, b, p1k, p1m, g, k, sh in services]
    cent = Decimal("0.01")
    for u in unallocated_by_reason(wh, month):
        note = u.billed_note()
        why = f"unallocated ({u.reason}: {u.words}" + (f"; {note}" if note else "") + ")"
        rows.append((why, None, u.amortized.quantize(cent), u.billed.quantize(cent), None, None, None, None,
                     None if u.share_amortized is None else f"{u.share_amortized:.2%}"))
    return columns, rows


def anomaly_section(wh: Path, month: str) -> Section:
    """The month's anomalies (marts.fct_cost_anomalies), and the series of the largest one against its band."""
    anomalies = read(wh, "report_anomalies", month=month)
    [(judged, unjudged)] = read(wh, "report_anomaly_days", month=month)
    chart = (f'<p class="empty">No anomalies: {judged:,} series-days judged against their band, {unjudged:,} '
             "with too little history to judge.</p>")
    if anomalies:
        day, metric, provider, account, service, currency = anomalies[0][:6]
        band = read(wh, "report_anomaly_band", month=month, metric=metric, provider=provider, account=account,
                    service=service, currency=currency)
        name = f"{metric} {provider} {account} {service}"
        chart = charts.band_chart(f"{name} against its expected band", band, f"{metric} ({currency})", name)
    return Section("Cost anomalies: actual against the expected band (largest first)", chart,
                   ("day", "metric", "provider", "account", "service", "currency", "actual", "expected",
                    "upper bound", "score", "top contributors"), tuple(anomalies))


def report_sections(wh: Path, month: str) -> list[Section]:
    """The month's report, section by section (the Dagster asset shows the same sections in its metadata)."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValueError(f"--month must be YYYY-MM, not {month!r}")
    cur = _currency(wh, month)
    per_1k = read(wh, "report_cost_per_1k_daily", month=month)
    request_partial = {r[0] for r in read(wh, "report_request_partial_days", month=month, partial_below=PARTIAL_BELOW)}
    heat = read(wh, "report_gpu_heatmap", month=month)
    idle = read(wh, "report_idle_cost_by_service", month=month)
    egress = read(wh, "report_egress_by_class", month=month)
    rack_kw = read(wh, "report_rack_kw_daily", month=month)
    rack_partial = {r[0] for r in read(wh, "report_rack_partial_days", month=month, partial_below=PARTIAL_BELOW)}
    pue = read(wh, "report_pue_daily", month=month)
    pue_partial = {r[0] for r in read(wh, "report_pue_partial_days", month=month, partial_below=PARTIAL_BELOW)}
    commitments = read(wh, "report_commitments", month=month)
    coverage = read(wh, "report_commitment_coverage", month=month)
    budgets = read(wh, "report_budgets", month=month)
    gpu_prices = read(wh, "report_gpu_hour_prices", month=month)
    recommendation = read(wh, "report_commitment_recommendation")
    stranded = read(wh, "report_capacity_daily", month=month)
    clusters = read(wh, "report_capacity_clusters", month=month)
    rightsizing = read(wh, "report_rightsizing")
    training = read(wh, "report_training_runs", month=month)
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
        Section("Commitments: how much of each Savings Plan, reservation and committed use discount was used",
                charts.horizontal_bars("commitment utilization",
                                       [(f"{r[1]} {r[0]}", 100 * r[7]) for r in commitments if r[7] is not None],
                                       "utilization (% of the commitment used)"),
                ("plan", "kind", "currency", "hours", "commitment", "used", "unused", "utilization", "net savings"),
                tuple(commitments)),
        Section("Commitment coverage of GPU-hours (committed / (committed + on demand))",
                charts.horizontal_bars("commitment coverage",
                                       [(f"{r[0]} {r[1]}", 100 * r[6]) for r in coverage if r[6] is not None],
                                       "coverage (% of commitment-eligible GPU-hours)"),
                ("service", "GPU", "committed GPU-h", "on-demand GPU-h", "spot GPU-h", "on-prem GPU-h", "coverage"),
                tuple(coverage)),
        Section("Baseline vs burst: what more to commit (GPU-hours per hour, over the look-back to the bill's newest "
                "hour)",
                charts.horizontal_bars("monthly saving", [(f"{r[0]} {r[1]}", float(r[9])) for r in recommendation
                                                          if r[9] is not None], f"saving a month ({cur})"),
                ("region", "GPU", "currency", "hours", "baseline", "committed", "to commit", "on-demand rate",
                 "committed rate", "monthly saving"), tuple(recommendation)),
        Section("Cloud vs on-prem: what a GPU-hour cost, by how it was bought (amortized)",
                charts.horizontal_bars("cost per GPU-hour", [(f"{r[0]} {r[1]}", float(r[6])) for r in gpu_prices
                                                             if r[6] is not None], f"{cur} per GPU-hour"),
                ("GPU", "bought", "currency", "machines", "GPU-hours", "cost", "per GPU-hour", "observed share",
                 "per active GPU-hour"), tuple(gpu_prices)),
        Section("GPU capacity: free GPU-hours stranded on partly used nodes, per cluster",
                charts.daily_lines("stranded GPU-hours", _series(stranded), "stranded GPU-hours per day"),
                ("cluster", "currency", "GPUs", "held GPU-h", "free GPU-h", "stranded GPU-h", "held share",
                 "smallest free block", "free cost", "stranded cost"), tuple(clusters)),
        Section("Right-sizing: the cheapest GPU or MIG profile each service fits (p95 activity and peak memory under "
                "the headroom)",
                charts.horizontal_bars("right-sizing saving", [(f"{r[0]} {r[1]}", float(r[9])) for r in rightsizing
                                                               if r[9]], f"saving a month ({cur})"),
                ("service", "GPU", "currency", "bought", "p95 SM", "peak memory share", "per GPU-hour",
                 "recommendation", "recommended per GPU-hour", "monthly saving", "hours observed", "confidence"),
                tuple(rightsizing)),
        Section("Training runs: cost per 1,000 steps (amortized; a job without a step counter still shows its cost)",
                charts.horizontal_bars("cost per 1,000 steps", [(str(r[0]), float(r[7])) for r in training
                                                                if r[7] is not None], f"{cur} per 1,000 steps"),
                ("job", "currency", "started", "wall hours", "GPU-hours", "cost", "steps", "per 1,000 steps",
                 "per 1M tokens", "time to train (h)"), tuple(training)),
        anomaly_section(wh, month),
        Section("Budgets: the month-end forecast against each budget",
                charts.horizontal_bars("budgets", [(str(r[0]), 100 * float(r[7])) for r in budgets if r[7] is not None],
                                       "forecast at month end (% of the budget)"),
                ("budget", "covers", "currency", "amount", "month to date", "forecast", "share to date",
                 "forecast share", "warns on", "status"), tuple(budgets)),
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
