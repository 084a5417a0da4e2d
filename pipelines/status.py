"""`infraledger status`: is the data fresh, did the last run work, which checks complain, and what did yesterday
cost next to the day before and the month so far (amortized, net: the headline view)."""

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
