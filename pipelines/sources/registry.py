"""Every raw source, in the order the UI lists them."""

from pipelines.sources import (aws_cur, aws_cur_legacy, dcgm, focus, gcp_billing, gcp_catalog, inventory, power,
                               prometheus, serving, spot_prices)
from pipelines.sources.contract import RawSource

RAW_SOURCES: tuple[RawSource, ...] = (
    aws_cur.SOURCE, aws_cur_legacy.SOURCE, focus.SOURCE, gcp_billing.SOURCE, spot_prices.SOURCE, gcp_catalog.SOURCE,
    inventory.SOURCE, prometheus.SOURCE, dcgm.SOURCE, serving.SOURCE, power.TOPOLOGY, power.SOURCE,
)


def by_partitioning(partitions: str | None) -> list[str]:
    """The raw tables of one partitioning (``daily``, ``billing_month`` or None), for the jobs that run them: every
    table a source loads (a job selects a source's load whole)."""
    return [t for s in RAW_SOURCES if s.partitions == partitions for t in (s.table, *s.also)]
