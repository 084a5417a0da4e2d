"""One partition vocabulary: the two partition definitions and every conversion between a partition key and the
period it stands for. Assets, sensors, schedules, the runner and the CLI import them from here.

- ``billing_month``: one partition per calendar month (UTC), keyed by its first day ('2026-10-01'); billing exports
  (CUR, legacy CUR, FOCUS) and the monthly report.
- ``daily``: one partition per UTC day ('2026-10-07'); the spot-price feed, Prometheus history and facility power.
Both start at ``billing_start_month`` of the configuration (read when the definitions are built, never at import)
and include the open period (``end_offset=1``): the current month is delivered and re-delivered while it runs,
today's feeds are fetched while the day runs.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import dagster as dg

from pipelines.config import current_config


@cache
def _definitions(start_month: str) -> tuple[dg.MonthlyPartitionsDefinition, dg.DailyPartitionsDefinition]:
    start = f"{start_month}-01"
    return (dg.MonthlyPartitionsDefinition(start_date=start, end_offset=1, timezone="UTC"),
            dg.DailyPartitionsDefinition(start_date=start, end_offset=1, timezone="UTC"))


def billing_month(start_month: str | None = None) -> dg.MonthlyPartitionsDefinition:
    """One partition per month from ``start_month`` (default: the configuration's ``billing_start_month``)."""
    return _definitions(start_month or current_config().billing_start_month)[0]


def daily(start_month: str | None = None) -> dg.DailyPartitionsDefinition:
    """One partition per UTC day from the first day of ``start_month`` (default: as for ``billing_month``)."""
    return _definitions(start_month or current_config().billing_start_month)[1]


def by_name(name: str | None) -> dg.PartitionsDefinition | None:
    """The partitions a source names (``daily``, ``billing_month``), or None for an unpartitioned source."""
    return {None: lambda: None, "daily": daily, "billing_month": billing_month}[name]()


def billing_period(key: str) -> str:
    """The billing period (YYYY-MM) a month's or a day's partition key belongs to: '2026-10-01' → '2026-10'."""
    return dt.date.fromisoformat(key).strftime("%Y-%m")


def month_key(period: str | dt.date) -> str:
    """The billing-month partition key of a period ('2026-10') or of any day in it: → '2026-10-01'."""
    day = period if isinstance(period, dt.date) else dt.date.fromisoformat(f"{period}-01")
    return f"{day:%Y-%m}-01"


def days_of_month(key: str, day_keys: list[str]) -> list[str]:
    """The daily partition keys among ``day_keys`` that fall in the billing month ``key``."""
    period = billing_period(key)
    return [k for k in day_keys if billing_period(k) == period]
