"""Raw dcgm-exporter samples: scrape the configured targets into the landing area, then load every saved scrape
not loaded yet (from the landing area and the configured folder)."""

from pathlib import Path

import dagster as dg

from collectors.dcgm.scrape import DEFAULT_PORT, gpu_rows
from collectors.prometheus.scrape import read_saved, scrape_time, target_folder
from pipelines.defs.billing.load_checks import load_check_specs
from pipelines.defs.telemetry.scraping import (reachability_spec, saved_scrapes, scrape_into,
                                               scrape_load_result)
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.resources_impl import DcgmExporterResource, WarehouseResource
from warehouse.loaders.dcgm import ScrapeFile, load_dcgm_scrapes

DCGM_KEY = dg.AssetKey(["raw", "dcgm_samples"])


@dg.asset(
    key=DCGM_KEY, group_name="telemetry", kinds={"prometheus", "duckdb"}, owners=["team:data-platform"],
    pool="duckdb", check_specs=[*load_check_specs(DCGM_KEY), reachability_spec(DCGM_KEY)],
    description=(
        "dcgm-exporter samples, one row per sample, parsed line by line (bad lines quarantined). An empty scrape "
        "is recorded as a gap in raw.dcgm_scrapes, never as zeros; an unreachable target is reported and the "
        "others still land."
    ),
)
def dcgm_samples(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                 dcgm_exporter: DcgmExporterResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        landing = Path(dcgm_exporter.landing_dir) / "dcgm"
        unreachable = scrape_into(dcgm_exporter.targets, lambda t: landing / target_folder(t), lambda t: {},
                                  dcgm_exporter.timeout_s, DEFAULT_PORT, context.log)
        scrapes = []
        for path, _text, exposition in read_saved(saved_scrapes(landing, Path(dcgm_exporter.location))):
            at = scrape_time(path)
            scrapes.append(ScrapeFile(path, path.parent.name, at, gpu_rows(exposition, at, path.parent.name),
                                      [(b.line_no, b.line, b.reason) for b in exposition.bad_lines]))
        result = None
        if scrapes:
            with warehouse.writer() as conn:
                result = load_dcgm_scrapes(conn, scrapes)
        return scrape_load_result(DCGM_KEY, len(scrapes), result, unreachable, context.log)


@dg.definitions
def dcgm_assets() -> dg.Definitions:
    return dg.Definitions(assets=[dcgm_samples])
