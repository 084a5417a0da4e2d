"""Partition definitions shared by assets: billing periods are calendar months, price feeds days (UTC)."""

from __future__ import annotations

import dagster as dg

from pipelines.config import load_config

billing_months = dg.MonthlyPartitionsDefinition(
    start_date=f"{load_config().billing_start_month}-01",
    end_offset=1,  # the open month is delivered (and re-delivered) while it runs
    timezone="UTC",
)


price_days = dg.DailyPartitionsDefinition(
    start_date=f"{load_config().billing_start_month}-01",
    end_offset=1,  # today's prices are fetched (and re-fetched) while the day runs
    timezone="UTC",
)


def billing_period(partition_key: str) -> str:
    """'2026-10-01' → '2026-10'."""
    return partition_key[:7]
