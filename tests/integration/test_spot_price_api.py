"""Spot prices through boto3 against a loopback EC2 endpoint serving realistic DescribeSpotPriceHistory pages:
paging, throttling retried with backoff, an empty page, bad items quarantined, incremental re-runs."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.integration.ec2_loopback import FakeEc2

pytestmark = pytest.mark.integration
SPOT_KEY = dg.AssetKey(["raw", "aws_spot_prices"])


def _recorded_items(sample_dir: Path) -> list[dict]:
    return [i for page in sorted((sample_dir / "spot_prices").rglob("page-*.json"))
            for i in json.loads(page.read_text())["SpotPriceHistory"]]


def _iso(i: dict) -> dict:
    return {**i, "Timestamp": i["Timestamp"].replace("+00:00", ".000Z")}


def _run(first: str, last: str) -> dg.ExecuteInProcessResult:
    from pipelines.definitions import defs
    from pipelines.runner import RANGE_END, RANGE_START

    job = defs().resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[SPOT_KEY],
                                  tags={RANGE_START: first, RANGE_END: last})


def _rows(wh: Path) -> list[tuple]:
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        return conn.execute("select region, availability_zone, instance_type, product_description, spot_price, "
                            "price_timestamp, _load_id from raw.aws_spot_prices order by all").fetchall()
    finally:
        conn.close()


def test_paging_throttling_bad_items_and_incremental_reruns(sample_dir: Path, infraledger_env: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    items = [_iso(i) for i in _recorded_items(sample_dir)]
    day1 = [i for i in items if i["Timestamp"] < "2026-10-02"]
    bad = [
        {"AvailabilityZone": "us-east-1a", "InstanceType": "g5.12xlarge", "ProductDescription": "Linux/UNIX",
         "SpotPrice": "0", "Timestamp": "2026-10-01T05:00:01.000Z"},
        {"AvailabilityZone": "us-east-1a", "InstanceType": "g5.12xlarge", "ProductDescription": "Linux/UNIX",
         "SpotPrice": "n/a", "Timestamp": "2026-10-01T06:00:01.000Z"},
        {"InstanceType": "g5.12xlarge", "ProductDescription": "Linux/UNIX", "SpotPrice": "2.5",
         "Timestamp": "2026-10-01T07:00:01.000Z"},
    ]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("INFRALEDGER_SOURCES_SPOT_PRICES_LOCATION", "api")
    monkeypatch.setenv("INFRALEDGER_SOURCES_SPOT_PRICES_OVERLAP_HOURS", "2")
    with FakeEc2(day1 + bad, page_size=7, throttle_first=2, empty_page_after=14) as ec2:
        monkeypatch.setenv("INFRALEDGER_SOURCES_SPOT_PRICES_ENDPOINT_URL", ec2.endpoint)
        assert _run("2026-10-01", "2026-10-01").success
        assert ec2.throttled == 2  # both 503 RequestLimitExceeded answers were retried with backoff
        first_rows = _rows(infraledger_env)
        assert len(first_rows) == len(day1)
        conn = duckdb.connect(str(infraledger_env), read_only=True)
        try:
            reasons = sorted(r for r, in conn.execute("select reason from quarantine.aws_spot_prices").fetchall())
            total = conn.execute("select sum(spot_price) from raw.aws_spot_prices").fetchone()[0]
        finally:
            conn.close()
        assert reasons == ["AvailabilityZone missing", "SpotPrice is not a number: n/a", "SpotPrice is not positive: 0"]
        assert total == sum(Decimal(i["SpotPrice"]) for i in day1)
        pages = sorted((infraledger_env.parent / "landing" / "spot_prices" / "us-east-1").rglob("page-*.json"))
        assert len(pages) >= 6 and any(json.loads(p.read_text())["SpotPriceHistory"] == [] for p in pages)

        # the same day again: asks only from the newest stored change minus the overlap, changes nothing
        ec2.requests.clear()
        assert _run("2026-10-01", "2026-10-01").success
        asked = dt.datetime.fromisoformat(ec2.requests[0]["StartTime"][0].replace("Z", "+00:00"))
        newest = min(max(dt.datetime.fromisoformat(i["Timestamp"].replace("Z", "+00:00")) for i in day1
                         if (i["AvailabilityZone"], i["InstanceType"]) == series)
                     for series in {(i["AvailabilityZone"], i["InstanceType"]) for i in day1})
        assert asked == newest - dt.timedelta(hours=2)
        assert _rows(infraledger_env) == first_rows

        # the next day arrives: only its window is fetched, earlier rows stay as they were
        ec2.items.extend(i for i in items if "2026-10-02" <= i["Timestamp"] < "2026-10-03")
        ec2.requests.clear()
        assert _run("2026-10-02", "2026-10-02").success
        assert ec2.requests[0]["StartTime"][0].startswith("2026-10-01T22:00:00")  # window start minus the overlap
        after = _rows(infraledger_env)
        assert set(first_rows) <= set(after)
        assert len(after) == len([i for i in items if i["Timestamp"] < "2026-10-03"])
