"""Raw vLLM / Triton samples: scrape the configured inference servers into the landing area, then load every saved
scrape not loaded yet. A scrape's service comes from its target's configuration (kept in the saved file's header)
or, for files saved elsewhere, from the ``<service>/<target>/`` folder it sits in."""

from pathlib import Path

import dagster as dg

from collectors.prometheus.scrape import read_saved, saved_header, scrape_time
from collectors.serving.metrics import serving_rows
from pipelines.defs.billing.load_checks import load_check_specs
from pipelines.defs.telemetry.scraping import (reachability_spec, saved_scrapes, scrape_load_result,
                                               scrape_serving_targets, serving_landing)
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.resources_impl import ServingSourceResource, WarehouseResource
from warehouse.loaders.scrapes import ScrapeFile
from warehouse.loaders.serving import load_serving_scrapes

SERVING_KEY = dg.AssetKey(["raw", "serving_samples"])


@dg.asset(
    key=SERVING_KEY, freshness_policy=freshness.TELEMETRY, group_name="telemetry", kinds={"prometheus", "duckdb"}, owners=["team:data-platform"],
    pool="duckdb", check_specs=[*load_check_specs(SERVING_KEY), reachability_spec(SERVING_KEY)],
    description=(
        "vLLM (vllm:*) and Triton (nv_inference_*) samples, one row per sample with its service and instance. "
        "Empty scrapes are gaps; unreachable servers are reported while the others land."
    ),
)
def serving_samples(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                    serving: ServingSourceResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        landing = serving_landing(serving)
        unreachable = scrape_serving_targets(serving, context.log)
        scrapes = []
        for path, text, exposition in read_saved(saved_scrapes(landing, Path(serving.location))):
            at = scrape_time(path)
            header = saved_header(text)
            service = header.get("service") or path.parent.parent.name
            instance = header.get("instance") or path.parent.name
            scrapes.append(ScrapeFile(path, instance, at,
                                      serving_rows(exposition, at, service=service, instance=instance),
                                      [(b.line_no, b.line, b.reason) for b in exposition.bad_lines]))
        result = None
        if scrapes:
            with warehouse.writer() as conn:
                result = load_serving_scrapes(conn, scrapes)
        return scrape_load_result(SERVING_KEY, len(scrapes), result, unreachable, context.log)


@dg.definitions
def serving_assets() -> dg.Definitions:
    return dg.Definitions(assets=[serving_samples])
