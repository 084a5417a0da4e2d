"""Raw vLLM / Triton samples: the inference servers scraped into the landing area, then loaded."""

import dagster as dg

from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, raw_source_asset
from pipelines.sources import serving

SERVING = RawSource(
    table="serving_samples", resource="serving", group="telemetry", kinds=frozenset({"prometheus", "duckdb"}),
    fetch=serving.fetch, load=serving.load, freshness=freshness.TELEMETRY, reachability=True, retries=0,
    description=(
        "vLLM (vllm:*) and Triton (nv_inference_*) samples, one row per sample with its service and instance. "
        "Empty scrapes are gaps; unreachable servers are reported while the others land."
    ),
)
SERVING_KEY = SERVING.key


@dg.definitions
def serving_assets() -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(SERVING)])
