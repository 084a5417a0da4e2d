"""vLLM / Triton samples: scrape the configured inference servers into the landing area, then load every saved
scrape not loaded yet. A scrape's service comes from its target's configuration (kept in the saved file's header)
or, for files saved elsewhere, from the ``<service>/<target>/`` folder it sits in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from collectors.prometheus.scrape import instance_of, read_saved, saved_header, scrape_time, target_folder
from collectors.serving.metrics import VLLM_PORT, serving_rows
from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request
from pipelines.sources.scrapes import saved_scrapes, scrape_into, scrape_summary
from warehouse.loaders.scrapes import ScrapeFile
from warehouse.loaders.serving import load_serving_scrapes


def landing(settings: Any) -> Path:
    return Path(settings.landing_dir) / "serving"


def scrape_targets(settings: Any, log: Log) -> dict[str, str]:
    """Each inference server into ``<landing>/serving/<service>/<target>/``, its service and instance in the header."""
    folder = landing(settings)
    return scrape_into(
        settings.targets, lambda t: folder / settings.targets[t] / target_folder(t),
        lambda t: {"service": settings.targets[t], "instance": instance_of(t, VLLM_PORT)},
        settings.timeout_s, VLLM_PORT, log, settings.tls("sources.serving", log.warning))


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    unreachable = scrape_targets(settings, log)
    files = saved_scrapes(landing(settings), Path(settings.location))
    return Landed(files, unreachable, {"scrape_files": len(files)})


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    scrapes = []
    for path, text, exposition in read_saved(landed.items):
        at = scrape_time(path)
        header = saved_header(text)
        service = header.get("service") or path.parent.parent.name
        instance = header.get("instance") or path.parent.name
        scrapes.append(ScrapeFile(path, instance, at, serving_rows(exposition, at, service=service, instance=instance),
                                  [(b.line_no, b.line, b.reason) for b in exposition.bad_lines]))
    result = load_serving_scrapes(conn, scrapes)
    facts = LoadFacts(metadata={"empty_scrapes": int(result.notes.get("empty_scrapes", 0))})
    facts.add(result)
    facts.summary = scrape_summary("raw/serving_samples", len(scrapes), facts)
    return facts


SOURCE = RawSource("serving_samples", "serving", "telemetry", ("prometheus", "duckdb"), fetch, load,
                   reachability=True, retries=0)
