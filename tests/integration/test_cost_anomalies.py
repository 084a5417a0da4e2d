"""marts.fct_cost_anomalies on 52 days of the sample CUR (September and October 2026): the sample writer plants an
instance left running on the period's last day. The test recomputes every daily_cost verdict from the line items
with the documented method (README, "Anomalies"): amortized cost per AWS's line item types, the same-weekday median
of the last 28 days (else the median), scale IQR / 1.349 floored at 5 % of expected, anomaly at 3.5 x scale and at
least 25 USD. The planted spike must be found and ranked first; September, a month without a spike, raises nothing.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from collectors.samples import aws_cur, world
from tests.cur_totals import amortized_cost, final_delivery, unique_line_items
from tests.dbt_build import dbt_build
from warehouse.loaders.aws_cur import load_cur_delivery
from warehouse.schema import apply_ddl

pytestmark = [pytest.mark.integration, pytest.mark.slow]
START, DAYS = date(2026, 9, 1), 52
LOOKBACK, MIN_HISTORY, MIN_SAME_WEEKDAY, THRESHOLD, FLOOR, MIN_IMPACT = 28, 5, 3, 3.5, 0.05, 25.0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    tmp = tmp_path_factory.mktemp("anomalies")
    aws_cur.write(tmp, START, DAYS, seed=42)
    wh = tmp / "warehouse.duckdb"
    conn = duckdb.connect(str(wh))
    apply_ddl(conn)
    files: list[Path] = []
    for period in ("2026-09", "2026-10"):
        delivery, period_files = final_delivery(tmp, period)
        load_cur_delivery(conn, billing_period=period, delivery_id=delivery, files=period_files)
        files += period_files
    conn.close()
    dbt_build(wh, None, "--select", "+fct_cost_anomalies", "--indirect-selection", "cautious")
    return wh, files


def _expected_verdicts(files: list[Path]) -> dict[tuple[date, str, str], dict]:
    """{(day, account id, service): verdict} computed from the line items."""
    daily: dict[tuple[str, str], dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    items: dict[tuple[str, str], dict[date, dict[tuple[str, str], Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(Decimal)))
    for r in unique_line_items(files):
        if r["line_item_line_item_type"] == "Credit":  # a contract event, not spend (README, "Anomalies")
            continue
        tags = dict(r["resource_tags"] or [])
        key = (r["line_item_usage_account_id"], tags.get("user_service", "untagged"))
        day = r["line_item_usage_start_date"].date()
        cost = amortized_cost(r)
        daily[key][day] += cost
        items[key][day][(r["line_item_usage_type"], r["line_item_resource_id"])] += cost
    out = {}
    for key, by_day in daily.items():
        for day, actual in by_day.items():
            history = {d: v for d, v in by_day.items() if day - timedelta(days=LOOKBACK) <= d < day}
            verdict = {"actual": actual, "history_days": len(history), "is_anomaly": False}
            if len(history) >= MIN_HISTORY:
                values = [float(v) for v in history.values()]
                same = [float(v) for d, v in history.items() if d.weekday() == day.weekday()]
                expected = statistics.median(same if len(same) >= MIN_SAME_WEEKDAY else values)
                q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
                scale = max((q3 - q1) / 1.349, FLOOR * abs(expected))
                impact = float(actual) - expected
                verdict.update(expected=expected, score=impact / scale,
                               is_anomaly=abs(impact) >= THRESHOLD * scale and abs(impact) >= MIN_IMPACT)
                if verdict["is_anomaly"]:
                    changes = {item: cost - sum((items[key][d].get(item, Decimal(0)) for d in history), Decimal(0))
                               / len(history) for item, cost in items[key][day].items()}
                    verdict["top"] = max(changes, key=lambda i: changes[i] if impact > 0 else -changes[i])
            out[(day, *key)] = verdict
    return out


def _mart(wh: Path) -> dict[tuple[date, str, str], tuple]:
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        rows = conn.execute(
            "select day, account, service, actual, expected, score, is_anomaly, anomaly_rank, history_days, "
            "top_usage_type, top_resource_id, baseline_method from marts.fct_cost_anomalies "
            "where metric = 'daily_cost'").fetchall()
    finally:
        conn.close()
    return {(r[0], r[1], r[2]): r[3:] for r in rows}


def test_every_verdict_matches_the_documented_method(built: tuple[Path, list[Path]]) -> None:
    wh, files = built
    expected, got = _expected_verdicts(files), _mart(wh)
    assert got.keys() == expected.keys()
    for key, v in expected.items():
        actual, exp, score, is_anomaly, _, history_days, *_ = got[key]
        assert actual == v["actual"], key
        assert history_days == v["history_days"], key
        assert is_anomaly == v["is_anomaly"], key
        if v["is_anomaly"]:
            assert got[key][6:8] == v["top"], key
        if "expected" in v:
            assert float(exp) == pytest.approx(v["expected"], rel=1e-9, abs=1e-6), key
            assert score == pytest.approx(v["score"], rel=1e-6, abs=1e-6), key
        else:
            assert score is None, key


def test_the_planted_spike_is_found_ranked_first_and_explained(built: tuple[Path, list[Path]]) -> None:
    wh, _ = built
    spike = world.spike_day(START, DAYS)
    rid, itype, account, rate, service, _ = world.SPIKE_INSTANCE
    got = _mart(wh)
    flagged = {k: v for k, v in got.items() if v[3]}
    assert {k for k in flagged if k[0] == spike} >= {(spike, world.ACCOUNTS[account], service)}
    row = got[(spike, world.ACCOUNTS[account], service)]
    assert row[4] == 1  # anomaly_rank
    assert row[0] - Decimal(str(row[1])) >= Decimal(repr(rate)) * len(world.SPIKE_HOURS) * Decimal("0.9")
    assert (row[6], row[7]) == (f"BoxUsage:{itype}", rid)
    assert row[8] == "same_weekday_median"


def test_a_month_without_a_spike_raises_nothing(built: tuple[Path, list[Path]]) -> None:
    wh, _ = built
    got = _mart(wh)
    september = [k for k in got if k[0].month == 9]
    assert any(got[k][5] >= MIN_HISTORY for k in september)  # September was judged, not skipped
    assert [k for k in september if got[k][3]] == []
    spike = world.spike_day(START, DAYS)
    assert [k for k in got if got[k][3] and k[0] != spike] == []


def test_the_asset_check_warns_with_the_spike_first(built: tuple[Path, list[Path]]) -> None:
    import dagster as dg

    from pipelines.config import WarehouseConfig
    from pipelines.defs.decisions.anomaly_checks import no_open_anomalies
    from pipelines.resources_impl import WarehouseResource

    wh, _ = built
    result = no_open_anomalies(dg.build_asset_check_context(),
                               warehouse=WarehouseResource(settings=WarehouseConfig(path=str(wh))))
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["open_anomalies"].value == 1
    rid = world.SPIKE_INSTANCE[0]
    assert f"{world.spike_day(START, DAYS)} daily_cost AWS" in result.description and rid in result.description
