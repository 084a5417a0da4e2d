"""One partition vocabulary: the conversions between keys and periods, and every partitioned asset on one of the two
definitions of pipelines/partitions.py."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines import partitions

pytestmark = pytest.mark.unit


def test_keys_and_periods_convert_both_ways() -> None:
    assert partitions.billing_period("2026-10-01") == "2026-10"
    assert partitions.billing_period("2026-10-17") == "2026-10"  # a day's key belongs to its month
    assert partitions.month_key("2026-10") == "2026-10-01"
    assert partitions.month_key(dt.date(2026, 12, 31)) == "2026-12-01"
    days = ["2026-09-30", "2026-10-01", "2026-10-31", "2026-11-01"]
    assert partitions.days_of_month("2026-10-01", days) == ["2026-10-01", "2026-10-31"]
    with pytest.raises(ValueError):
        partitions.billing_period("2026-13-01")


def test_every_partitioned_asset_uses_one_of_the_two_definitions() -> None:
    from pipelines.definitions import defs

    graph = defs().resolve_asset_graph()
    used = {key.to_user_string(): graph.get(key).partitions_def for key in graph.materializable_asset_keys
            if graph.get(key).partitions_def is not None}
    assert used and all(p is partitions.billing_month() or p is partitions.daily() for p in used.values()), used
    assert {k for k, p in used.items() if p is partitions.daily()} == {
        "raw/aws_spot_prices", "raw/prometheus_samples", "raw/prometheus_series", "raw/power_readings"}
    assert partitions.billing_month().get_partition_keys()[0] == "2026-01-01"  # billing_start_month's default


def test_partitions_follow_the_configuration_read_when_the_definitions_load(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.definitions import defs

    monkeypatch.setenv("INFRALEDGER_BILLING_START_MONTH", "2025-07")
    graph = defs().resolve_asset_graph()
    cur = graph.get(partitions.dg.AssetKey(["raw", "aws_cur_line_items"])).partitions_def
    assert cur is partitions.billing_month("2025-07") and cur.get_partition_keys()[0] == "2025-07-01"
    assert partitions.by_name("daily").get_partition_keys()[0] == "2025-07-01"
