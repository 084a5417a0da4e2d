"""EC2 spot price history: ask each region from the newest stored change of the window minus the overlap, keep the
raw pages in the landing area, append only changes not stored yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from collectors.aws.spot_prices import SpotWindow, fetch_pages, recorded_pages, write_pages
from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request, utc_stamp
from warehouse.loaders.spot_prices import load_spot_price_pages, series_watermarks


def _naive(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.timezone.utc).replace(tzinfo=None)


def watermark(conn: duckdb.DuckDBPyConnection, settings: Any, request: Request) -> dict[str, dict]:
    """Per region, the newest stored change of every series in the window (only asked of the live API)."""
    if not settings.live:
        return {}
    return {r: series_watermarks(conn, r, _naive(request.start), _naive(request.end)) for r in settings.source.regions}


def plan(settings: Any, request: Request, marks: dict[str, dict]) -> list[SpotWindow] | Request:
    """One request per region from the oldest series' newest change (all series stored) minus the overlap."""
    if not settings.live:
        return request
    windows = []
    wanted = len(settings.source.instance_types) * len(settings.source.product_descriptions)
    for region in settings.source.regions:
        stored = marks.get(region, {})
        start = _naive(request.start)
        newest_complete = min(stored.values()) if stored and len(stored) >= wanted else start
        ask_from = max(start, newest_complete) - dt.timedelta(hours=settings.source.overlap_hours)
        windows.append(SpotWindow(region=region, start=ask_from.replace(tzinfo=dt.timezone.utc), end=request.end,
                                  instance_types=tuple(settings.source.instance_types),
                                  product_descriptions=tuple(settings.source.product_descriptions)))
    return windows


def fetch(settings: Any, planned: list[SpotWindow] | Request, log: Log) -> Landed:
    """{region: pages}, fetched into the landing area or found among the recorded pages."""
    if isinstance(planned, Request):
        root = Path(settings.source.location)
        if not root.is_dir():
            raise FileNotFoundError(f"sources.spot_prices.location {root} is neither a folder of recorded pages "
                                    "nor 'api'")
        pages = {r: recorded_pages(root, r, planned.days) for r in settings.source.regions}
    else:
        pages = {}
        for w in planned:
            folder = Path(settings.landing_dir) / "spot_prices" / w.region / f"{w.start:%Y-%m-%d}_{utc_stamp()}"
            pages[w.region] = write_pages(fetch_pages(settings.ec2(w.region), w), folder)
            log.info(f"{w.region}: {len(pages[w.region])} pages for {w.start:%Y-%m-%d %H:%M}..{w.end:%Y-%m-%d %H:%M}")
    pages = {r: p for r, p in pages.items() if p}
    return Landed(pages, metadata={"pages": sum(len(p) for p in pages.values())})


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    facts = LoadFacts(metadata={"window": request.label})
    for region, pages in sorted(landed.items.items()):
        facts.add(load_spot_price_pages(conn, region=region, pages=pages, window=request.label))
    facts.summary = (f"spot prices {request.label}: read {facts.rows_read}, new {facts.rows_loaded}, already stored "
                     f"{facts.rows_already_loaded}, quarantined {facts.rows_quarantined}")
    return facts


SOURCE = RawSource("aws_spot_prices", "spot_prices", "prices", ("aws", "duckdb"), fetch, load, plan=plan,
                   watermark=watermark, partitions="daily", single_run_backfill=True)
