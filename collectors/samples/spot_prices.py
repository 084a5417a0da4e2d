"""Sample EC2 DescribeSpotPriceHistory responses: paged JSON with NextToken and jittered change timestamps.

The bill's spot hours (``aws_cur``) are priced from the same series, so savings can be checked end to end.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from collectors.samples import world

SERIES: tuple[tuple[str, str, str, float], ...] = (
    # instance type, availability zone, product description, base price (USD/h)
    ("g5.12xlarge", "us-east-1a", "Linux/UNIX", 2.2690),
    ("g5.12xlarge", "us-east-1b", "Linux/UNIX", 2.3415),
    ("p5.48xlarge", "us-east-1a", "Linux/UNIX", 39.8112),
)
PAGE_SIZE = 20


def price_changes(instance_type: str, az: str, d: date, seed: int) -> list[tuple[datetime, float]]:
    """The price changes of one series during day ``d`` (UTC), in time order."""
    base = next(s[3] for s in SERIES if s[0] == instance_type and s[1] == az)
    rng = world.rng_for(seed, "spot", instance_type, az, d.isoformat())
    changes = []
    minute = rng.randint(0, 50)
    while minute < 24 * 60:
        ts = world.at(d) + timedelta(minutes=minute, seconds=rng.randint(0, 59))
        price = round(base * (0.85 + 0.3 * rng.random()), 4)
        changes.append((ts, price))
        minute += rng.randint(70, 200)
    return changes


def hourly_spot_price(instance_type: str, az: str, ts: datetime, seed: int) -> float:
    """The spot price in effect at ``ts`` (the last change at or before it)."""
    d = ts.date()
    for _ in range(3):
        earlier = [p for t, p in price_changes(instance_type, az, d, seed) if t <= ts]
        if earlier:
            return earlier[-1]
        d -= timedelta(days=1)
    raise ValueError("no spot price change within three days")


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    """One folder per region and day, holding the API's JSON response pages in order."""
    pages_written = 0
    items_written = 0
    for d in world.days(start, n_days):
        items = []
        for itype, az, product, _ in SERIES:
            for ts, price in price_changes(itype, az, d, seed):
                items.append({"AvailabilityZone": az, "InstanceType": itype, "ProductDescription": product,
                              "SpotPrice": f"{price:.6f}", "Timestamp": ts.isoformat()})
        items.sort(key=lambda i: i["Timestamp"], reverse=True)  # the API returns newest first
        folder = out / "spot_prices" / world.REGION / d.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        pages = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
        for n, page in enumerate(pages, start=1):
            body: dict[str, object] = {"SpotPriceHistory": page}
            if n < len(pages):
                body["NextToken"] = world.stable_id(seed, d, n, length=40)
            (folder / f"page-{n:04d}.json").write_text(json.dumps(body, indent=1) + "\n")
            pages_written += 1
        items_written += len(items)
    return {"spot_price_pages": pages_written, "spot_price_items": items_written}
