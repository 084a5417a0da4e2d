"""What the scraped sources share: scrape live targets into the landing area (one folder per target), report the
ones that did not answer, and find every saved scrape (landing area and configured folder)."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb

from collectors.prometheus.scrape import ScrapeError, read_saved, save, scrape, scrape_time
from pipelines.sources.contract import Landed, LoadFacts, Log, SourceUnavailable
from warehouse.loaders.scrapes import ScrapeFile


def scrape_into(targets: Iterable[str], folder_of: Callable[[str], Path], header_of: Callable[[str], dict[str, str]],
                timeout_s: float, default_port: int, log: Log, tls: ssl.SSLContext) -> dict[str, str]:
    """Scrape each target into its folder; {target: why} for those that failed. All failing is unavailable."""
    targets = list(targets)
    unreachable: dict[str, str] = {}
    for target in targets:
        try:
            save(scrape(target, timeout_s, default_port, tls), folder_of(target), header_of(target))
        except ScrapeError as exc:
            unreachable[target] = str(exc)
            log.warning(str(exc))
    if targets and len(unreachable) == len(targets):
        raise SourceUnavailable(f"no target answered: {unreachable}")
    return unreachable


def saved_scrapes(*folders: Path) -> list[Path]:
    """Every saved scrape (``*.prom``) under the folders, in name order."""
    return sorted(p for f in folders if f.is_dir() for p in f.rglob("*.prom"))


def landed_scrapes(landing: Path, location: Path, unreachable: dict[str, str]) -> Landed:
    """Every saved scrape (landing area and configured folder), with the targets that did not answer now."""
    files = saved_scrapes(landing, location)
    return Landed(files, unreachable, {"scrape_files": len(files)})


RowsOf = Callable[[Path, str, Any, dt.datetime], tuple[str, list]]   # (path, text, exposition, time) -> (instance, rows)


def load_scrape_files(conn: duckdb.DuckDBPyConnection, files: list[Path], table: str, rows_of: RowsOf,
                      loader: Callable[[duckdb.DuckDBPyConnection, list[ScrapeFile]], Any]) -> LoadFacts:
    """Parse every saved scrape into rows (bad lines kept for quarantine) and load them with ``loader``."""
    scrapes = []
    for path, text, exposition in read_saved(files):
        at = scrape_time(path)
        instance, rows = rows_of(path, text, exposition, at)
        scrapes.append(ScrapeFile(path, instance, at, rows, [(b.line_no, b.line, b.reason) for b in exposition.bad_lines]))
    result = loader(conn, scrapes)
    facts = LoadFacts(metadata={"empty_scrapes": int(result.notes.get("empty_scrapes", 0))})
    facts.add(result)
    facts.summary = (f"{table}: {len(scrapes)} scrape files, samples read {facts.rows_read}, new {facts.rows_loaded}, "
                     f"quarantined {facts.rows_quarantined}, empty scrapes {facts.metadata['empty_scrapes']}")
    return facts
