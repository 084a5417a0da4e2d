"""Raw metric history from Prometheus ``query_range``: a daily-partitioned backfill (one run per backfill range)."""

import dagster as dg

from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, raw_source_asset
from pipelines.partitions import daily
from pipelines.sources import prometheus

PROMETHEUS = RawSource(
    table="prometheus_samples", resource="prometheus", group="telemetry", kinds=frozenset({"prometheus", "duckdb"}),
    fetch=prometheus.fetch, load=prometheus.load, partitions=daily, single_run_backfill=True,
    freshness=freshness.DAILY,
    description=(
        "GPU and serving metric history (query_range, step configurable, at most 11,000 points per request), one "
        "row per point; NaN kept as NULL, gaps left empty; each (metric, day) replaced as a whole."
    ),
)
PROMETHEUS_KEY = PROMETHEUS.key


@dg.definitions
def prometheus_assets() -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(PROMETHEUS)])
