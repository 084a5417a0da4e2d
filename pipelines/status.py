"""`infraledger status`: is the data fresh, did the last run work, which checks complain, what did yesterday cost
next to the day before and the month so far (amortized, net: the headline view), how the month stands against its
budgets and forecast, and which cost anomalies are open."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb

from pipelines.cost_views import AMORTIZED, BILLED
from warehouse.quality import latest_results
from warehouse.statements import run


def source_freshness(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    """``(source, last successful load, how long ago, rows it loaded)`` per source, stalest first."""
    now = dt.datetime.now(dt.timezone.utc)
    rows = run(conn, "status_source_freshness").fetchall()
    out = []
    for source, finished, loaded in rows:
        age = now - finished
        hours = age.total_seconds() / 3600
        ago = f"{hours:.1f} h ago" if hours < 48 else f"{age.days} days ago"
        out.append((source, f"{finished:%Y-%m-%d %H:%M} UTC", ago, int(loaded or 0)))
    return out


def failed_loads(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Loads whose latest attempt per (source, partition) did not succeed: ``(source, partition, status)``."""
    return run(conn, "status_failed_loads").fetchall()


def complaining_checks(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int]]:
    """``(asset, errors, warnings)`` of every suite whose latest validation failed a rule."""
    return [(asset, errors, warnings) for asset, _, _, _, errors, warnings in latest_results(conn)
            if errors or warnings]


def cost_lines(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Yesterday (the latest day with cost), its change from the day before, the month to date and its forecast."""
    rows = run(conn, "status_latest_days_cost").fetchall()
    if not rows:
        return ["no cost data yet"]
    latest = max(d for d, _, _ in rows)
    out = []
    for currency in sorted({c for _, c, _ in rows}):
        today = sum((v for d, c, v in rows if d == latest and c == currency), Decimal(0))
        before = [v for d, c, v in rows if d < latest and c == currency]
        delta = today - before[0] if before else None
        change = (f", {delta:+,.2f} {currency} ({delta / before[0]:+.1%}) against the day before"
                  if before and before[0] else "")
        out.append(f"{latest}: {today:,.2f} {currency} {AMORTIZED}{change}")
    for month, currency, total, billed, unallocated in run(conn, "status_month_to_date").fetchall():
        share = f" ({unallocated / total:.2%})" if total else ""
        out.append(f"{month} to date: {total:,.2f} {currency} {AMORTIZED} ({billed:,.2f} {currency} {BILLED}); "
                   f"unallocated {unallocated:,.2f} {currency}{share}, reasons in `infraledger report`")
    for month, currency, forecast, low, high, as_of, window in run(conn, "status_month_end_forecast").fetchall():
        band = f" ({low:,.2f} to {high:,.2f})" if low is not None else ""
        out.append(f"{month} forecast: {forecast:,.2f} {currency}{band} at month end, from the run rate of the "
                   f"{window} days to {as_of}")
    return out


def freshness_line(rows: list[tuple[str, str, str, int]]) -> str:
    """The freshest and stalest source in one line (``--sources`` prints them all)."""
    if not rows:
        return "data: nothing loaded yet"
    stalest, freshest = rows[0], rows[-1]
    return (f"data: {len(rows)} sources loaded; freshest {freshest[0]} {freshest[2]}, stalest {stalest[0]} "
            f"{stalest[2]} (--sources lists each)")


def budget_line(conn: duckdb.DuckDBPyConnection) -> str:
    """The budgets of the newest month: those over or warning, by name, with their share of the amount."""
    rows = run(conn, "status_budgets").fetchall()
    if not rows:
        return "budgets: none configured (budgets_file)"
    flagged = [f"{name} {status} ({(actual_share if basis == 'actual' or status == 'over' else forecast_share):.0%} "
               f"of {amount:,.2f} {currency}{'' if basis == 'actual' or status == 'over' else ' forecast'})"
               for name, _, currency, amount, _, _, actual_share, forecast_share, basis, status in rows
               if status != "ok"]
    month = rows[0][1]
    if not flagged:
        return f"budgets {month}: all {len(rows)} within budget"
    return f"budgets {month}: {len(flagged)} of {len(rows)} need attention: " + "; ".join(flagged)


def anomaly_line(conn: duckdb.DuckDBPyConnection) -> str:
    """Open anomalies (the newest three days of marts.fct_cost_anomalies): how many, and the largest."""
    rows = run(conn, "anomalies_open").fetchall()
    if not rows:
        return "anomalies: none open"
    day, metric, provider, account, service, currency, actual, expected, *_ = rows[0]
    where = " ".join(str(p) for p in (provider, account, service) if p != "all")
    return (f"anomalies: {len(rows)} open; largest {day} {metric} {where}: {actual:,.2f} {currency} against "
            f"{expected:,.2f} expected (infraledger report lists them)")
