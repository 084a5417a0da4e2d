"""Raw dcgm-exporter samples (and NVML samples of this machine): scraped into the landing area, then loaded."""

import dagster as dg

from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, raw_source_asset
from pipelines.sources import dcgm

DCGM = RawSource(
    table="dcgm_samples", resource="dcgm_exporter", group="telemetry", kinds=frozenset({"prometheus", "duckdb"}),
    fetch=dcgm.fetch, load=dcgm.load, freshness=freshness.TELEMETRY, reachability=True, retries=0,
    description=(
        "dcgm-exporter samples, one row per sample, parsed line by line (bad lines quarantined). An empty scrape "
        "is recorded as a gap in raw.dcgm_scrapes, never as zeros; an unreachable target is reported and the "
        "others still land. With nvml: true the machine's own GPUs are sampled through NVML into the same table."
    ),
)
DCGM_KEY = DCGM.key


@dg.definitions
def dcgm_assets() -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(DCGM)])
