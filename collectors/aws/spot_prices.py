"""EC2 spot price history: ``DescribeSpotPriceHistory`` pages, fetched with the boto3 paginator or read back from
a folder of recorded pages (``<region>/<YYYY-MM-DD>/page-NNNN.json``, the layout the landing area uses too).

Records are price *changes*; the API also returns, per series, the change in effect at ``StartTime``, so a window
that starts an overlap before the watermark re-reads a few known changes, which the loader recognises.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SpotWindow:
    """What to ask for: one region, a time window, instance types and product descriptions."""

    region: str
    start: dt.datetime
    end: dt.datetime
    instance_types: tuple[str, ...]
    product_descriptions: tuple[str, ...]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def fetch_pages(ec2: Any, window: SpotWindow) -> Iterator[dict[str, Any]]:
    """Every response page of the window (paginator; throttling is retried by the client's retry config)."""
    paginator = ec2.get_paginator("describe_spot_price_history")
    kwargs: dict[str, Any] = {"StartTime": window.start, "EndTime": window.end}
    if window.instance_types:
        kwargs["InstanceTypes"] = list(window.instance_types)
    if window.product_descriptions:
        kwargs["ProductDescriptions"] = list(window.product_descriptions)
    for page in paginator.paginate(**kwargs):
        yield _jsonable(page)


def write_pages(pages: Iterable[dict[str, Any]], folder: Path) -> list[Path]:
    """Keep the raw pages in the landing area, in order (written atomically, one file per page)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n, page in enumerate(pages, start=1):
        path = folder / f"page-{n:04d}.json"
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(json.dumps(page, indent=1, sort_keys=True) + "\n")
        tmp.replace(path)
        out.append(path)
    return out


def recorded_pages(root: Path, region: str, days: Iterable[dt.date]) -> list[Path]:
    """Recorded pages of ``region`` for ``days`` under ``root`` (a folder laid out like the landing area)."""
    return [p for d in days for p in sorted((root / region / d.isoformat()).glob("page-*.json"))]
