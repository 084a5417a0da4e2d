"""dcgm-exporter samples: scrape the configured targets (and, with ``nvml: true``, this machine's GPUs through
NVML) into the landing area, then load every saved scrape not loaded yet."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path
from typing import Any

import duckdb

from collectors.dcgm.scrape import DEFAULT_PORT, gpu_rows
from collectors.nvml.sampler import NvmlUnavailable, sampled_at, to_exposition
from collectors.nvml.sampler import sample as nvml_sample
from collectors.prometheus.scrape import Scrape, save, target_folder
from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request, SourceUnusable
from pipelines.sources.scrapes import landed_scrapes, load_scrape_files, scrape_into
from warehouse.loaders.dcgm import load_dcgm_scrapes


def landing(settings: Any) -> Path:
    return Path(settings.landing_dir) / "dcgm"


def scrape_targets(settings: Any, log: Log) -> dict[str, str]:
    """Each dcgm-exporter target into ``<landing>/dcgm/<target>/``; {target: why} for those that failed."""
    folder = landing(settings)
    return scrape_into(settings.source.targets, lambda t: folder / target_folder(t), lambda t: {}, settings.source.timeout_s,
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
    if settings.source.nvml:
        try:
            sample_local_gpus(landing(settings))
        except NvmlUnavailable as exc:
            if not settings.source.targets:
                raise SourceUnusable(str(exc)) from exc
            unreachable["nvml"] = str(exc)
            log.warning(str(exc))
    return landed_scrapes(landing(settings), Path(settings.source.location), unreachable)


def _rows(path: Path, text: str, exposition: Any, at: dt.datetime) -> tuple[str, list]:
    return path.parent.name, gpu_rows(exposition, at, path.parent.name)


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    return load_scrape_files(conn, landed.items, "raw/dcgm_samples", _rows, load_dcgm_scrapes)


SOURCE = RawSource("dcgm_samples", "dcgm_exporter", "telemetry", ("prometheus", "duckdb"), fetch, load,
                   reachability=True, retries=0)
