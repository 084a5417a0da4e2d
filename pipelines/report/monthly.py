"""``infraledger report --month YYYY-MM``: one self-contained HTML file (inline SVG, no scripts, no links out) with
cost per 1,000 requests per service, the GPU utilization heatmap, idle cost, egress by class, rack kW and PUE."""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from pathlib import Path

from pipelines.report import svg
from warehouse.query import run_query


def _rows(wh: Path, sql: str) -> list[tuple]:
    return run_query(wh, sql).rows


def _days(month: str) -> list[str]:
    first = dt.date.fromisoformat(f"{month}-01")
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return [(first + dt.timedelta(days=i)).isoformat() for i in range((nxt - first).days)]


def _by_day(rows: list[tuple], days: list[str]) -> dict[str, list[float | None]]:
    series: dict[str, dict[str, float]] = {}
    for day, name, value in rows:
        series.setdefault(str(name), {})[str(day)] = None if value is None else float(value)
    return {name: [vals.get(d) for d in days] for name, vals in sorted(series.items())}


def _table(columns: list[str], rows: list[tuple]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_sections(wh: Path, month: str) -> list[tuple[str, str, str]]:
    """(title, SVG chart, extra HTML) per section of the month's report."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValueError(f"--month must be YYYY-MM, not {month!r}")
    days = _days(month)
    in_month = f"strftime(day, '%Y-%m') = '{month}'"
    per_1k = _rows(wh, f"select cast(day as varchar), service, cost_per_1k_requests_amortized "
                       f"from marts.fct_unit_economics_daily where {in_month} and requests > 0 order by 1, 2")
    summary_cols = ["service", "requests", "net_cost_amortized", "cost_per_1k_requests", "cost_per_1m_tokens",
                    "gpu_hours", "kwh_per_1k_requests"]
    summary = _rows(wh, f"""
        select service, cast(sum(requests) as bigint), round(sum(net_cost_amortized), 2),
               round(sum(net_cost_amortized) * 1000 / nullif(sum(requests), 0), 4),
               round(sum(net_cost_amortized) * 1e6 / nullif(sum(prompt_tokens + generation_tokens), 0), 4),
               round(sum(gpu_hours), 1), round(sum(energy_kwh) * 1000 / nullif(sum(requests), 0), 4)
        from marts.fct_unit_economics_daily where {in_month} group by 1 order by 1""")
    heat = _rows(wh, f"""
        select hostname, lpad(cast(hour(hour_start) as varchar), 2, '0') || 'h',
               avg(greatest(coalesce(avg_sm_active, 0), coalesce(avg_dram_active, 0)))
        from marts.fct_gpu_utilization_hourly where strftime(hour_start, '%Y-%m') = '{month}' group by all""")
    idle = _rows(wh, f"select coalesce(service, '(none)'), round(sum(idle_cost), 2) from marts.fct_gpu_efficiency_daily "
                     f"where {in_month} and idle_cost is not null group by 1 order by 2 desc")
    egress = _rows(wh, f"select egress_class, round(sum(gb), 1) from marts.fct_egress_daily "
                       f"where {in_month} and egress_class <> 'inbound' group by 1 order by 2 desc")
    rack_kw = _rows(wh, f"select cast(cast(hour_start as date) as varchar), rack, avg(avg_kw) "
                        f"from marts.fct_power_rack_hourly where strftime(hour_start, '%Y-%m') = '{month}' group by all")
    pue = _rows(wh, f"select cast(day as varchar), site, pue from marts.fct_site_energy_daily where {in_month}")
    hosts = sorted({r[0] for r in heat})
    hours = [f"{h:02d}h" for h in range(24)]
    labels = [d[5:] for d in days]
    return [
        ("Cost per 1,000 requests (amortized) per service",
         svg.line_chart("cost per 1,000 requests", labels, _by_day(per_1k, days), "per 1k"),
         _table(summary_cols, summary)),
        ("GPU activity by host and hour of day (max of SM and DRAM activity; grey = not observed)",
         svg.heatmap("GPU activity", hosts, hours, {(h, hr): float(v) for h, hr, v in heat}), ""),
        ("Idle GPU cost by service", svg.bar_chart("idle cost", [(str(s), float(v)) for s, v in idle], ""), ""),
        ("Egress by class (GB)", svg.bar_chart("egress", [(str(c), float(v)) for c, v in egress], "GB"), ""),
        ("Rack power (average kW per day)", svg.line_chart("rack kW", labels, _by_day(rack_kw, days), "kW"), ""),
        ("PUE per day", svg.line_chart("PUE", labels, _by_day(pue, days)), ""),
    ]


def build_report(wh: Path, month: str) -> str:
    sections = report_sections(wh, month)
    body = "".join(f"<section><h2>{escape(t)}</h2>{chart}{extra}</section>" for t, chart, extra in sections)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>infraledger report {month}</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:780px;margin:2em auto;color:#111}"
            "table{border-collapse:collapse;font-size:13px;margin-top:8px}td,th{border:1px solid #ddd;padding:3px 6px}"
            "section{margin-bottom:2em}.empty{color:#777}</style></head><body>"
            f"<h1>infraledger: {month}</h1><p>Generated {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC from "
            f"the marts of {escape(wh.name)}.</p>{body}</body></html>")


def write_report(wh: Path, month: str, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"infraledger-report-{month}.html"
    path.write_text(build_report(wh, month))
    return path
