"""A small run of the telemetry benchmark harness: both steps load every generated point (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.telemetry_ingest import main


def test_telemetry_bench_loads_every_point_both_ways(tmp_path: Path, capsys) -> None:
    figures = main(["--gpus", "4", "--metrics", "3", "--keep", str(tmp_path / "bench"), "--json"])
    points = 4 * 3 * 1440
    assert figures["infraledger"]["rows"] == figures["duckdb_read_json"]["rows"] == points
    assert figures["infraledger"]["peak_rss_bytes"] > 0
    assert '"ratio_to_raw"' in capsys.readouterr().out


@pytest.mark.slow
def test_the_harness_runs_every_step_at_scale_001(tmp_path: Path, capsys) -> None:
    from bench.__main__ import main as harness

    # the month's backfill has its own test (tests/unit/test_bench_backfill.py), on the other xdist worker
    # the first day, timed (--history 1 would build a day of history first: the same code, a second daily run)
    figures = harness(["--scale", "0.01", "--history", "0", "--backfill-scale", "0", "--keep", str(tmp_path / "harness"),
                       "--json"])
    steps = {s["step"]: s for s in figures["steps"]}
    assert steps["DCGM history, one day"]["rows"] == 8 * 10 * 1440  # 8 GPUs x 10 metrics x a minute a day
    assert steps["CUR 2.0 month ingest"]["rows"] >= 20_000 and steps["GCP export ingest"]["rows"] == 5_000
    assert steps["facility power, one day"]["rows"] == 1440 * 3  # two PDUs and the meter
    assert all(s["raw_seconds"] and s["ratio_to_raw"] for s in steps.values())
    [daily] = figures["daily_run"]
    # the daily run is the product's: the schedule's three Dagster jobs, then the dbt models, each timed from its run
    assert daily["history_days"] == 0
    # the schedule's three jobs ran, in the schedule's order, before the dbt models
    assert list(daily["jobs"]) == ["daily_ingestion_billing", "daily_ingestion_feeds", "daily_ingestion_sources",
                                   "dbt build (every model and test)"]
    assert "infraledger_dbt_models" in daily["slowest_ops"]
    assert set(daily["peak_rss_mib_of"]) == {"dagster process", "largest subprocess"}
    assert max(daily["peak_rss_mib_of"].values()) <= daily["peak_rss_mib"]
    # every op is kept, slowest first: the loads, the dbt models and a GX suite step per raw source and the marts'
    assert set(daily["slowest_ops"]) <= set(daily["ops"]) and list(daily["ops"].values()) == sorted(
        daily["ops"].values(), reverse=True)
    assert {"infraledger_dbt_models", "marts__gx_suites", "raw__prometheus_samples__gx_suite"} <= set(daily["ops"])
    # it re-loads the CUR month and loads a day of GCP export (20,000 // 4 // 30 rows), telemetry and power, and the
    # small sources (spot prices, SKU prices, inventory, topology, scrapes) on top
    assert daily["rows"] > steps["CUR 2.0 month ingest"]["rows"] + 166 + 8 * 10 * 1440 + 1440 * 3
    # the same day over HTTP from the loopback Prometheus: every point, one request per metric-day
    http = figures["prometheus_http"]
    assert http["points"] == steps["DCGM history, one day"]["rows"] and http["requests"] == 10
    # every target is printed with its verdict; a run at one scale cannot say how the daily run grows with scale
    verdicts = {t["target"]: t for t in figures["targets"]}
    assert verdicts["daily run at scale 4 vs scale 1"]["verdict"] == "not measured"
    assert verdicts["month backfill, scale 0.1, loopback APIs"]["verdict"] == "not measured"
    assert verdicts["GCP export ingest vs bare read_json"]["verdict"] in ("met", "MISSED")
    assert verdicts["Prometheus over HTTP vs saved files"]["measured"].endswith(
        f"({http['seconds']:.2f} s vs {steps['DCGM history, one day']['seconds']:.2f} s)")
    assert '"daily_run"' in capsys.readouterr().out
