"""One scrape of every telemetry target (dcgm-exporter and inference servers) into the landing area, files only:
the every-minute job runs it without touching the warehouse; the loads pick the files up later."""

from __future__ import annotations

from typing import Any

from pipelines.sources import dcgm, serving
from pipelines.sources.contract import Log


def scrape_all(dcgm_settings: Any, serving_settings: Any, log: Log) -> tuple[int, dict[str, str]]:
    """(targets scraped, {target: why} for those that failed); raises SourceUnavailable when all of a kind fail."""
    dead: dict[str, str] = {}
    if dcgm_settings.source.targets:
        dead |= dcgm.scrape_targets(dcgm_settings, log)
    if serving_settings.services_by_target:
        dead |= serving.scrape_targets(serving_settings, log)
    return len(dcgm_settings.source.targets) + len(serving_settings.services_by_target) - len(dead), dead
