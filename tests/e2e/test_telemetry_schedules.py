"""The telemetry schedules: a minute scrape that only writes the landing area, a daily Prometheus backfill that asks
for yesterday's partition, and the scrape job run for real against a loopback exporter."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.integration.test_dcgm_scrape import FakeExporters

pytestmark = pytest.mark.e2e


def test_schedules_are_defined_with_their_cadence(infraledger_env: Path) -> None:
    from pipelines.definitions import defs

    d = defs()
    crons = {s.name: s.cron_schedule for s in d.schedules}
    assert crons["scrape_telemetry_every_minute"] == "* * * * *"
    assert crons["load_telemetry_every_15_minutes"] == "*/15 * * * *"
    assert crons["prometheus_backfill_daily"] == "30 1 * * *"
    backfill = d.resolve_schedule_def("prometheus_backfill_daily")
    with dg.build_schedule_context(scheduled_execution_time=dt.datetime(2026, 10, 3, 1, 30, tzinfo=dt.timezone.utc),
                                   repository_def=d.get_repository_def()) as ctx:
        [request] = list(backfill.evaluate_tick(ctx).run_requests)
    assert request.partition_key == "2026-10-02"
    power = d.resolve_schedule_def("load_power_every_15_minutes")
    with dg.build_schedule_context(scheduled_execution_time=dt.datetime(2026, 10, 3, 14, 15, tzinfo=dt.timezone.utc),
                                   repository_def=d.get_repository_def()) as ctx:
        [request] = list(power.evaluate_tick(ctx).run_requests)
    assert request.partition_key == "2026-10-03" and crons["poll_power_every_minute"] == "* * * * *"


def test_every_source_has_its_documented_freshness_window(infraledger_env: Path) -> None:
    from pipelines.definitions import defs

    graph = defs().resolve_asset_graph()
    windows = {k.to_user_string(): graph.get(k).freshness_policy.fail_window.to_timedelta()
               for k in graph.materializable_asset_keys
               if k.path[0] == "raw" and graph.get(k).freshness_policy is not None}
    assert windows["raw/aws_cur_line_items"] == windows["raw/gcp_billing_export"] == dt.timedelta(hours=36)
    assert windows["raw/dcgm_samples"] == windows["raw/serving_samples"] == dt.timedelta(minutes=15)
    assert windows["raw/power_readings"] == dt.timedelta(minutes=15)
    assert set(windows) >= {"raw/focus_cost_rows", "raw/aws_cur_legacy_line_items", "raw/prometheus_samples"}


def test_the_minute_scrape_writes_landing_files_and_the_load_takes_them(
        shared_data: Path, infraledger_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    capture = (shared_data / "dcgm/metrics/kops-aws-l4_gpu-operator_k8s-1.35.prom").read_text()
    vllm = (shared_data / "serving/vllm-v1_qwen2.5-0.5b_idle_kops-k8s-1.35.prom").read_text()
    with FakeExporters({"l4": capture, "vllm": vllm}) as server:
        monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_TARGETS", f"[{server.endpoint}/l4/metrics]")
        monkeypatch.setenv("INFRALEDGER_SOURCES_SERVING_TARGETS",
                           json.dumps([{"url": f"{server.endpoint}/vllm/metrics", "service": "chat-api"}]))
        monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_LOCATION", str(tmp_path / "none"))
        monkeypatch.setenv("INFRALEDGER_SOURCES_SERVING_LOCATION", str(tmp_path / "none"))
        from pipelines.definitions import defs

        d = defs()
        with dg.DagsterInstance.ephemeral() as instance:
            for _ in range(3):
                assert d.resolve_job_def("scrape_telemetry").execute_in_process(instance=instance).success
            assert not infraledger_env.exists(), "scraping must not open the warehouse"
            landed = sorted((tmp_path / "landing").rglob("*.prom"))
            assert len(landed) == 6
            monkeypatch.delenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_TARGETS")
            monkeypatch.delenv("INFRALEDGER_SOURCES_SERVING_TARGETS")
            assert defs().resolve_job_def("load_telemetry").execute_in_process(instance=instance).success
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        dcgm = conn.execute("select count(distinct _source_file) from raw.dcgm_samples").fetchone()[0]
        serving = conn.execute("select count(distinct _source_file) from raw.serving_samples").fetchone()[0]
    finally:
        conn.close()
    assert (dcgm, serving) == (3, 3)
