"""vLLM / Triton samples: scrape the configured inference servers into the landing area, then load every saved
scrape not loaded yet. A scrape's service comes from its target's configuration (kept in the saved file's header)
or, for files saved elsewhere, from the ``<service>/<target>/`` folder it sits in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from collectors.prometheus.scrape import instance_of, saved_header, target_folder
from collectors.serving.metrics import VLLM_PORT, serving_rows
from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request
from pipelines.sources.scrapes import landed_scrapes, load_scrape_files, scrape_into
from warehouse.loaders.serving import load_serving_scrapes


def landing(settings: Any) -> Path:
    return Path(settings.landing_dir) / "serving"


def scrape_targets(settings: Any, log: Log) -> dict[str, str]:
    """Each inference server into ``<landing>/serving/<service>/<target>/``, its service and instance in the header."""
    folder = landing(settings)
    return scrape_into(
        settings.services_by_target, lambda t: folder / settings.services_by_target[t] / target_folder(t),
        lambda t: {"service": settings.services_by_target[t], "instance": instance_of(t, VLLM_PORT)},
        settings.source.timeout_s, VLLM_PORT, log, settings.tls("sources.serving", log.warning))


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    unreachable = scrape_targets(settings, log)
    return landed_scrapes(landing(settings), Path(settings.source.location), unreachable)


def _rows(path: Path, text: str, exposition: Any, at: dt.datetime) -> tuple[str, list]:
    """Service and instance from the saved file's header, else from its ``<service>/<target>/`` folder."""
    header = saved_header(text)
    service = header.get("service") or path.parent.parent.name
    instance = header.get("instance") or path.parent.name
    return instance, serving_rows(exposition, at, service=service, instance=instance)


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    return load_scrape_files(conn, landed.items, "raw/serving_samples", _rows, load_serving_scrapes)


SOURCE = RawSource("serving_samples", "serving", "telemetry", ("prometheus", "duckdb"), fetch, load,
                   reachability=True, retries=0)
