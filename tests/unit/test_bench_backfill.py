"""A small run of the bench's month backfill: two days at scale 0.01 from loopback S3, EC2 and Prometheus, every run
of the backfill plan timed and every point landed (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.month_backfill import month_backfill
from bench.targets import verdicts


@pytest.mark.slow
def test_two_days_backfilled_from_loopback_apis(tmp_path: Path) -> None:
    backfill = month_backfill(tmp_path / "backfill", scale=0.01, days=2, cur_rows=20_000, gpus=8)
    assert [s["step"] for s in backfill["steps"]] == [
        "daily feeds 2026-10-01..2026-10-02", "billing month 2026-10", "unpartitioned sources and the dbt models",
        "reports 2026-10", "read snapshot published"]
    # 8 GPUs x 10 metrics x a point a minute x 2 days, each fetched over HTTP and landed once
    assert backfill["rows"]["raw.prometheus_samples"] == backfill["dcgm_points"] == 2 * 8 * 10 * 1440
    assert backfill["prometheus_requests"] == 2 * 24  # a request per configured metric (22 + 2 temperatures) and day
    # the CUR month came from S3 (the scaled delivery), the GCP export too, and the marts were built on them
    assert backfill["rows"]["raw.aws_cur_line_items"] >= 20_000 and backfill["rows"]["marts.fct_cost"] > 0
    assert backfill["rows"]["raw.gcp_billing_export"] > 0 and backfill["rows"]["raw.power_readings"] >= 2 * 1440 * 2
    # two days at scale 0.01 are not the month at scale 0.1 the target is about
    [target] = [t for t in verdicts({"backfill": backfill}) if t["target"].startswith("month backfill")]
    assert target["verdict"] == "not measured"
