"""Partition definitions shared by assets: billing periods are calendar months (UTC)."""

from __future__ import annotations

import dagster as dg

from pipelines.config import load_config

billing_months = dg.MonthlyPartitionsDefinition(
    start_date=f"{load_config().billing_start_month}-01",
    end_offset=1,  # the open month is delivered (and re-delivered) while it runs
    timezone="UTC",
)


def billing_period(partition_key: str) -> str:
    """'2026-10-01' → '2026-10'."""
    return partition_key[:7]
