"""dcgm-exporter samples: scrape the configured targets (and, with ``nvml: true``, this machine's GPUs through
NVML) into the landing area, then load every saved scrape not loaded yet."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import duckdb

from collectors.dcgm.scrape import DEFAULT_PORT, gpu_rows
from collectors.nvml.sampler import NvmlUnavailable, sampled_at, to_exposition
from collectors.nvml.sampler import sample as nvml_sample
from collectors.prometheus.scrape import Scrape, read_saved, save, scrape_time, target_folder
from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request, SourceUnusable
from pipelines.sources.scrapes import saved_scrapes, scrape_into, scrape_summary
from warehouse.loaders.dcgm import ScrapeFile, load_dcgm_scrapes


def landing(settings: Any) -> Path:
    return Path(settings.landing_dir) / "dcgm"


def scrape_targets(settings: Any, log: Log) -> dict[str, str]:
    """Each dcgm-exporter target into ``<landing>/dcgm/<target>/``; {target: why} for those that failed."""
    folder = landing(settings)
    return scrape_into(settings.targets, lambda t: folder / target_folder(t), lambda t: {}, settings.timeout_s,
                       DEFAULT_PORT, log, settings.tls("sources.dcgm_exporter", log.warning))


def sample_local_gpus(folder: Path) -> None:
    """One NVML sample of this machine's GPUs, saved like a scrape under ``<folder>/nvml-<host>/``."""
    host = socket.gethostname()
    driver, readings = nvml_sample()
    save(Scrape(target=f"nvml://{host}", fetched_at=sampled_at(), body=to_exposition(readings, host, driver)),
         folder / f"nvml-{target_folder(host)}")


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    """Scrape now, then every saved scrape file (landing area and the configured folder)."""
    unreachable = scrape_targets(settings, log)
    if settings.nvml:
        try:
            sample_local_gpus(landing(settings))
        except NvmlUnavailable as exc:
            if not settings.targets:
                raise SourceUnusable(str(exc)) from exc
            unreachable["nvml"] = str(exc)
            log.warning(str(exc))
    files = saved_scrapes(landing(settings), Path(settings.location))
    return Landed(files, unreachable, {"scrape_files": len(files)})


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    scrapes = []
    for path, _text, exposition in read_saved(landed.items):
        at = scrape_time(path)
        scrapes.append(ScrapeFile(path, path.parent.name, at, gpu_rows(exposition, at, path.parent.name),
                                  [(b.line_no, b.line, b.reason) for b in exposition.bad_lines]))
    result = load_dcgm_scrapes(conn, scrapes)
    facts = LoadFacts(metadata={"empty_scrapes": int(result.notes.get("empty_scrapes", 0))})
    facts.add(result)
    facts.summary = scrape_summary("raw/dcgm_samples", len(scrapes), facts)
    return facts


SOURCE = RawSource("dcgm_samples", "dcgm_exporter", "telemetry", ("prometheus", "duckdb"), fetch, load,
                   reachability=True, retries=0)
