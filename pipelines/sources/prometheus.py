"""Metric history from Prometheus ``query_range`` (live, answers kept in the landing area, or saved answers): each
(metric, day) is replaced as a whole, so re-running a day is idempotent."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb

from collectors.prometheus.query_range import PrometheusError
from collectors.prometheus.query_range import fetch as fetch_range
from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request, SourceUnavailable
from warehouse.loaders.prometheus import load_query_range_days
from warehouse.statements import scalar


def _folder_name(metric: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", metric)


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    """[(metric, day, answer files)] for every configured (live) or saved metric and every day of the window. A live
    Prometheus is asked for up to ``max_concurrent_requests`` (metric, day) answers at once."""
    folder = Path(settings.source.location)
    if not settings.live and not folder.is_dir():
        raise FileNotFoundError(f"sources.prometheus.location {folder} is neither a folder of saved answers nor "
                                "an http(s):// Prometheus")
    metrics = settings.source.metrics if settings.live else sorted(p.name for p in folder.iterdir() if p.is_dir())
    wanted = [(metric, day) for day in request.days for metric in metrics]
    if settings.live:
        tls = settings.tls("sources.prometheus", log.warning)
        with ThreadPoolExecutor(max_workers=settings.source.max_concurrent_requests,
                                thread_name_prefix="query_range") as pool:
            answers = list(pool.map(lambda md: _fetch_day(settings, tls, *md), wanted))
    else:
        answers = [[f for f in [folder / metric / f"{day:%Y-%m-%d}.json"] if f.is_file()] for metric, day in wanted]
    return Landed([(metric, f"{day:%Y-%m-%d}", files) for (metric, day), files in zip(wanted, answers) if files])


def _fetch_day(settings: Any, tls: Any, metric: str, day: dt.date) -> list[Path]:
    """The answers for one metric over one UTC day, kept in the landing area."""
    start = dt.datetime.combine(day, dt.time(), dt.timezone.utc)
    dest = Path(settings.landing_dir) / "prometheus" / _folder_name(metric) / f"{day:%Y-%m-%d}"
    try:
        return fetch_range(settings.source.location, metric, start, start + dt.timedelta(days=1),
                           settings.source.step_s, dest, settings.source.timeout_s,
                           settings.source.max_points_per_request, tls)
    except PrometheusError as exc:
        raise SourceUnavailable(str(exc)) from exc


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    facts = LoadFacts()
    nan = 0
    for result in load_query_range_days(conn, landed.items):
        facts.add(result)
        nan += int(result.notes.get("nan_points", 0))
    facts.metadata = {"metric_days": len(landed.items), "nan_points": nan}
    facts.table_rows = {"prometheus_series": scalar(conn, "prometheus_series_rows")}
    facts.summary = (f"prometheus {request.label}: {len(landed.items)} metric-days, {facts.rows_loaded} points, "
                     f"{nan} NaN, {facts.rows_quarantined} quarantined")
    return facts


SOURCE = RawSource("prometheus_samples", "prometheus", "telemetry", ("prometheus", "duckdb"), fetch, load,
                   partitions="daily", single_run_backfill=True, also=("prometheus_series",))
