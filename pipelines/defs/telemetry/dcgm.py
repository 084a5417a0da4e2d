"""Raw dcgm-exporter samples: scrape the configured targets into the landing area, then load every saved scrape
not loaded yet (from the landing area and the configured folder)."""

import socket
from pathlib import Path

import dagster as dg

from collectors.dcgm.scrape import gpu_rows
from collectors.nvml.sampler import NvmlUnavailable, sampled_at, to_exposition
from collectors.nvml.sampler import sample as nvml_sample
from collectors.prometheus.scrape import Scrape, read_saved, save, scrape_time, target_folder
from pipelines.defs.billing.load_checks import load_check_specs
from pipelines.defs.telemetry.scraping import (
    dcgm_landing,
    reachability_spec,
    saved_scrapes,
    scrape_dcgm_targets,
    scrape_load_result,
)
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.resources_impl import DcgmExporterResource, WarehouseResource
from warehouse.loaders.dcgm import ScrapeFile, load_dcgm_scrapes

DCGM_KEY = dg.AssetKey(["raw", "dcgm_samples"])


def sample_local_gpus(landing: Path) -> None:
    """One NVML sample of this machine's GPUs, saved like a scrape under ``<landing>/nvml-<host>/``."""
    host = socket.gethostname()
    at = sampled_at()
    driver, readings = nvml_sample()
    save(Scrape(target=f"nvml://{host}", fetched_at=at, body=to_exposition(readings, host, driver)),
         landing / f"nvml-{target_folder(host)}")


@dg.asset(
    key=DCGM_KEY, freshness_policy=freshness.TELEMETRY, group_name="telemetry", kinds={"prometheus", "duckdb"}, owners=["team:data-platform"],
    pool="duckdb", check_specs=[*load_check_specs(DCGM_KEY), reachability_spec(DCGM_KEY)],
    description=(
        "dcgm-exporter samples, one row per sample, parsed line by line (bad lines quarantined). An empty scrape "
        "is recorded as a gap in raw.dcgm_scrapes, never as zeros; an unreachable target is reported and the "
        "others still land. With nvml: true the machine's own GPUs are sampled through NVML into the same table."
    ),
)
def dcgm_samples(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                 dcgm_exporter: DcgmExporterResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        landing = dcgm_landing(dcgm_exporter)
        unreachable = scrape_dcgm_targets(dcgm_exporter, context.log)
        if dcgm_exporter.nvml:
            try:
                sample_local_gpus(landing)
            except NvmlUnavailable as exc:
                if not dcgm_exporter.targets:
                    raise dg.Failure(str(exc), allow_retries=False) from exc
                unreachable["nvml"] = str(exc)
                context.log.warning(str(exc))
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
