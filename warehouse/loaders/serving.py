"""vLLM / Triton scrapes into ``raw.serving_samples`` / ``raw.serving_scrapes``; a sample is identified by its
labels (``instance`` included), metric and time. Samples without a service are quarantined."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from warehouse.loaders.scrapes import RequiredLabel, ScrapeFile, ScrapeSpec, load_scrapes
from warehouse.loads import LoadResult

SPEC = ScrapeSpec(
    source="serving", target="raw.serving_samples", scrape_log="raw.serving_scrapes",
    quarantine="quarantine.serving_samples",
    columns=("sample_time", "service", "instance", "pod", "engine", "metric", "series_labels", "value"),
    identity=("metric", "series_labels"),
    required=(RequiredLabel("service", "no service for this target", empty_too=True),),
)


def load_serving_scrapes(conn: duckdb.DuckDBPyConnection, scrapes: Sequence[ScrapeFile]) -> LoadResult:
    return load_scrapes(conn, SPEC, scrapes)
