"""dcgm-exporter scrapes into ``raw.dcgm_samples`` / ``raw.dcgm_scrapes``; a sample is identified by GPU UUID, MIG
instance, pod (time-slicing), metric and time. Samples without a GPU UUID are quarantined."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from warehouse.loaders.scrapes import RequiredLabel, ScrapeFile, ScrapeSpec, load_scrapes
from warehouse.loads import LoadResult

SPEC = ScrapeSpec(
    source="dcgm", target="raw.dcgm_samples", scrape_log="raw.dcgm_scrapes", quarantine="quarantine.dcgm_samples",
    columns=("sample_time", "hostname", "gpu", "gpu_uuid", "model_name", "gpu_i_id", "gpu_i_profile", "pod",
             "namespace", "container", "metric", "value"),
    identity=("gpu_uuid", "gpu_i_id", "pod", "metric"),  # time-sliced GPUs: one series per pod
    required=(RequiredLabel("gpu_uuid", "UUID label missing"),),
)
__all__ = ["ScrapeFile", "load_dcgm_scrapes"]


def load_dcgm_scrapes(conn: duckdb.DuckDBPyConnection, scrapes: Sequence[ScrapeFile]) -> LoadResult:
    return load_scrapes(conn, SPEC, scrapes)
