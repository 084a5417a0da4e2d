"""What the scraped sources share: scrape live targets into the landing area, report the ones that did not answer,
and summarize a scrape load as materialization metadata and check results."""

import ssl
from collections.abc import Callable, Iterable
from pathlib import Path

import dagster as dg

from collectors.dcgm.scrape import DEFAULT_PORT
from collectors.prometheus.scrape import ScrapeError, instance_of, save, scrape, target_folder
from collectors.serving.metrics import VLLM_PORT
from pipelines.defs.billing.load_checks import load_check_results
from pipelines.resources_impl import DcgmExporterResource, ServingSourceResource
from warehouse.loads import LoadResult


def scrape_into(targets: Iterable[str], folder_of: Callable[[str], Path], header_of: Callable[[str], dict[str, str]],
                timeout_s: float, default_port: int, log: dg.DagsterLogManager, tls: ssl.SSLContext) -> dict[str, str]:
    """Scrape each target into its folder; {target: why} for those that failed. All failing is a failure."""
    targets = list(targets)
    unreachable: dict[str, str] = {}
    for target in targets:
        try:
            save(scrape(target, timeout_s, default_port, tls), folder_of(target), header_of(target))
        except ScrapeError as exc:
            unreachable[target] = str(exc)
            log.warning(str(exc))
    if targets and len(unreachable) == len(targets):
        raise dg.Failure(f"no target answered: {unreachable}")
    return unreachable


def dcgm_landing(dcgm: DcgmExporterResource) -> Path:
    return Path(dcgm.landing_dir) / "dcgm"


def serving_landing(serving: ServingSourceResource) -> Path:
    return Path(serving.landing_dir) / "serving"


def scrape_dcgm_targets(dcgm: DcgmExporterResource, log: dg.DagsterLogManager) -> dict[str, str]:
    """Each dcgm-exporter target into ``<landing>/dcgm/<target>/``; {target: why} for those that failed."""
    landing = dcgm_landing(dcgm)
    return scrape_into(dcgm.targets, lambda t: landing / target_folder(t), lambda t: {}, dcgm.timeout_s,
                       DEFAULT_PORT, log, dcgm.tls("sources.dcgm_exporter", log.warning))


def scrape_serving_targets(serving: ServingSourceResource, log: dg.DagsterLogManager) -> dict[str, str]:
    """Each inference server into ``<landing>/serving/<service>/<target>/``, its service and instance in the header."""
    landing = serving_landing(serving)
    return scrape_into(
        serving.targets, lambda t: landing / serving.targets[t] / target_folder(t),
        lambda t: {"service": serving.targets[t], "instance": instance_of(t, VLLM_PORT)},
        serving.timeout_s, VLLM_PORT, log, serving.tls("sources.serving", log.warning))


def saved_scrapes(*folders: Path) -> list[Path]:
    return sorted(p for f in folders if f.is_dir() for p in f.rglob("*.prom"))


def scrape_load_result(key: dg.AssetKey, files: int, result: LoadResult | None, unreachable: dict[str, str],
                       log: dg.DagsterLogManager) -> dg.MaterializeResult:
    """Metadata (files, rows, gaps, unreachable targets) and the load and reachability checks of a scrape load."""
    if result is None:
        counts, notes = (0, 0, 0, 0), {}
    else:
        counts = (result.rows_read, result.rows_loaded, result.rows_quarantined,
                  int(result.notes.get("rows_already_loaded", 0)))
        notes = result.notes
    log.info(f"{key.to_user_string()}: {files} scrape files, samples read {counts[0]}, new {counts[1]}, "
             f"quarantined {counts[2]}, empty scrapes {notes.get('empty_scrapes', 0)}")
    return dg.MaterializeResult(
        metadata={"scrape_files": files, "rows_read": counts[0], "rows_loaded": counts[1],
                  "rows_quarantined": counts[2], "empty_scrapes": int(notes.get("empty_scrapes", 0)),
                  "unreachable_targets": dg.MetadataValue.json(unreachable), "dagster/row_count": counts[1]},
        check_results=[*load_check_results(counts[0], counts[1], counts[2], None, counts[3]),
                       dg.AssetCheckResult(check_name="targets_reachable", passed=not unreachable,
                                           severity=dg.AssetCheckSeverity.WARN,
                                           metadata={"unreachable": dg.MetadataValue.json(unreachable)})],
    )


def reachability_spec(key: dg.AssetKey) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec("targets_reachable", asset=key, description="every configured target answered")
