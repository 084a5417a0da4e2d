"""Raw dcgm-exporter samples: scrape the configured targets into the landing area, then load every saved scrape
not loaded yet (from the landing area and the configured folder)."""

from pathlib import Path

import dagster as dg

from collectors.dcgm.scrape import ScrapeError, gpu_rows, read_saved, save, scrape, scrape_time
from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.resources_impl import DcgmExporterResource, WarehouseResource
from warehouse.loaders.dcgm import ScrapeFile, load_dcgm_scrapes

DCGM_KEY = dg.AssetKey(["raw", "dcgm_samples"])


@dg.asset(
    key=DCGM_KEY, group_name="telemetry", kinds={"prometheus", "duckdb"}, owners=["team:data-platform"],
    pool="duckdb",
    check_specs=[*load_check_specs(DCGM_KEY),
                 dg.AssetCheckSpec("targets_reachable", asset=DCGM_KEY,
                                   description="every configured dcgm-exporter target answered")],
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
        unreachable: dict[str, str] = {}
        for target in dcgm_exporter.targets:
            try:
                save(scrape(target, dcgm_exporter.timeout_s), landing)
            except ScrapeError as exc:
                unreachable[target] = str(exc)
                context.log.warning(str(exc))
        if dcgm_exporter.targets and len(unreachable) == len(dcgm_exporter.targets):
            raise dg.Failure(f"no dcgm-exporter target answered: {unreachable}")
        folders = [landing] + ([Path(dcgm_exporter.location)] if Path(dcgm_exporter.location).is_dir() else [])
        paths = sorted(p for f in folders for p in f.rglob("*.prom"))
        scrapes = []
        for path, exposition in read_saved(paths):
            at = scrape_time(path)
            scrapes.append(ScrapeFile(path, path.parent.name, at, gpu_rows(exposition, at, path.parent.name),
                                      [(b.line_no, b.line, b.reason) for b in exposition.bad_lines]))
        if scrapes:
            with warehouse.writer() as conn:
                result = load_dcgm_scrapes(conn, scrapes)
            counts = (result.rows_read, result.rows_loaded, result.rows_quarantined,
                      int(result.notes.get("rows_already_loaded", 0)))
            notes = result.notes
        else:
            counts, notes = (0, 0, 0, 0), {}
        context.log.info(f"dcgm: {len(scrapes)} scrape files, samples read {counts[0]}, new {counts[1]}, "
                         f"quarantined {counts[2]}, empty scrapes {notes.get('empty_scrapes', 0)}")
        return dg.MaterializeResult(
            metadata={"scrape_files": len(scrapes), "rows_read": counts[0], "rows_loaded": counts[1],
                      "rows_quarantined": counts[2], "empty_scrapes": int(notes.get("empty_scrapes", 0)),
                      "unreachable_targets": dg.MetadataValue.json(unreachable), "dagster/row_count": counts[1]},
            check_results=[*load_check_results(counts[0], counts[1], counts[2], None, counts[3]),
                           dg.AssetCheckResult(check_name="targets_reachable", passed=not unreachable,
                                               severity=dg.AssetCheckSeverity.WARN,
                                               metadata={"unreachable": dg.MetadataValue.json(unreachable)})],
        )


@dg.definitions
def dcgm_assets() -> dg.Definitions:
    return dg.Definitions(assets=[dcgm_samples])
