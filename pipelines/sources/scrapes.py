"""What the scraped sources share: scrape live targets into the landing area (one folder per target), report the
ones that did not answer, and find every saved scrape (landing area and configured folder)."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterable
from pathlib import Path

from collectors.prometheus.scrape import ScrapeError, save, scrape
from pipelines.sources.contract import Log, SourceUnavailable


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


def scrape_summary(table: str, files: int, facts) -> str:
    return (f"{table}: {files} scrape files, samples read {facts.rows_read}, new {facts.rows_loaded}, "
            f"quarantined {facts.rows_quarantined}, empty scrapes {facts.metadata.get('empty_scrapes', 0)}")
