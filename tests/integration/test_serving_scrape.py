"""vLLM and Triton scrapes from a loopback server serving the real captures in ../shared/data/serving/, and the
series identity rules of the telemetry staging model (one series per server, one power reading per GPU)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from collectors.dcgm.scrape import gpu_rows
from collectors.prometheus.exposition import parse
from collectors.serving.metrics import serving_rows
from tests.dbt_build import dbt_build
from tests.integration.loopback import closed_port
from tests.integration.test_dcgm_scrape import FakeExporters
from warehouse.connection import writer
from warehouse.loaders.dcgm import load_dcgm_scrapes
from warehouse.loaders.prometheus import load_query_range_day
from warehouse.loaders.scrapes import ScrapeFile
from warehouse.loaders.serving import load_serving_scrapes
from warehouse.schema import apply_ddl

pytestmark = [pytest.mark.integration, pytest.mark.slow]
KEY = dg.AssetKey(["raw", "serving_samples"])
VLLM = "vllm-v1_qwen2.5-0.5b_idle_kops-k8s-1.35"
TRITON = "triton-trtllm-backend_readme-example_zeros"


# Samples kept per scrape, counted once by hand in the captures (grep -c '^vllm:' etc.): the vLLM capture has 354
# vllm:* samples (37 of them the _created times of its counters) and one process_start_time_seconds; Triton's has 10
# nv_inference_* samples.
VLLM_KEPT = 354 + 1
TRITON_KEPT = 10


def test_real_vllm_and_triton_captures_land_per_service(
        shared_data: Path, infraledger_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    captures = {p.stem: p.read_text() for p in sorted((shared_data / "serving").glob("*.prom"))}
    captures["empty"] = ""
    with FakeExporters(captures) as server:
        targets = [{"url": f"{server.endpoint}/{VLLM}/metrics", "service": "chat-api"},
                   {"url": f"{server.endpoint}/{TRITON}/metrics", "service": "ranker"},
                   {"url": f"{server.endpoint}/empty/metrics", "service": "ranker"},
                   {"url": f"127.0.0.1:{closed_port()}", "service": "gone"}]
        monkeypatch.setenv("INFRALEDGER_SOURCES_SERVING_TARGETS", json.dumps(targets))
        monkeypatch.setenv("INFRALEDGER_SOURCES_SERVING_LOCATION", str(tmp_path / "no-saved-scrapes"))
        monkeypatch.setenv("INFRALEDGER_SOURCES_SERVING_TIMEOUT_S", "2")
        from pipelines.definitions import defs

        job = defs().resolve_implicit_global_asset_job_def()
        for _ in range(2):  # the second run scrapes again and skips the files the first one loaded
            result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[KEY])
            assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["targets_reachable"] is False and checks["rows_accounted_for"] is True
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        per_service = dict(conn.execute("select service || '/' || engine, count(*) from raw.serving_samples "
                                        "group by 1").fetchall())
        instances = {r[0] for r in conn.execute("select distinct instance from raw.serving_samples").fetchall()}
        scrapes = conn.execute("select status, count(*) from raw.serving_scrapes group by 1 order by 1").fetchall()
        buckets = conn.execute("select count(*) from raw.serving_samples where metric = "
                               "'vllm:e2e_request_latency_seconds_bucket'").fetchone()[0]
    finally:
        conn.close()
    assert per_service == {"chat-api/vllm": 2 * (VLLM_KEPT - 1), "chat-api/process": 2,
                           "ranker/triton": 2 * TRITON_KEPT}
    assert instances == {server.endpoint.removeprefix("http://")}
    assert scrapes == [("empty", 2), ("ok", 4)]
    assert buckets == 2 * 22


def _query_range(metric: str, labels: dict[str, str], points: list[tuple[dt.datetime, float]]) -> dict:
    return {"status": "success", "data": {"resultType": "matrix", "result": [
        {"metric": {"__name__": metric, **labels},
         "values": [[int(t.replace(tzinfo=dt.timezone.utc).timestamp()), repr(v)] for t, v in points]}]}}


def test_a_scraped_server_and_its_prometheus_history_are_one_series_and_mig_power_counts_once(
        shared_data: Path, tmp_path: Path) -> None:
    wh = tmp_path / "wh.duckdb"
    t0 = dt.datetime(2026, 10, 1, 10, 0)
    # Prometheus history of one vLLM pod: 100 -> 160 -> 250 requests at 10:00, 10:02, 10:04.
    labels = {"finished_reason": "stop", "engine": "0", "model_name": "m", "instance": "10.0.0.5:8000",
              "job": "vllm", "namespace": "inference", "pod": "chat-api-5f7d8c9b6d-x2x9q", "container": "vllm"}
    history = tmp_path / "qr.json"
    history.write_text(json.dumps(_query_range("vllm:request_success_total", labels, [
        (t0, 100.0), (t0 + dt.timedelta(minutes=2), 160.0), (t0 + dt.timedelta(minutes=4), 250.0)])))
    # The same server scraped directly at 10:01 and 10:03 (130, 200): same series, so the hour still counts 150.
    scraped = []
    for minute, value in ((1, 130.0), (3, 200.0)):
        text = ('vllm:request_success_total{engine="0",finished_reason="stop",model_name="m"} ' + repr(value) + "\n")
        f = tmp_path / f"scrape-{minute}.prom"
        f.write_text(text)
        at = t0 + dt.timedelta(minutes=minute)
        scraped.append(ScrapeFile(f, "10.0.0.5:8000", at, serving_rows(parse(text), at, service="chat-api",
                                                                        instance="10.0.0.5:8000")))
    # A MIG GPU whose power and energy repeat on both instance rows (as dcgm-exporter does): counted once.
    mig = []
    for minute, power, energy in ((0, 300.0, 1_000_000.0), (1, 310.0, 1_018_600.0)):
        lines = []
        for inst in (None, "1", "2"):
            mig_labels = ',GPU_I_PROFILE="3g.20gb",GPU_I_ID="' + inst + '"' if inst else ""
            base = 'gpu="0",UUID="GPU-mig-parent",modelName="NVIDIA A100-SXM4-40GB",Hostname="h1"' + mig_labels
            lines += [f"DCGM_FI_DEV_POWER_USAGE{{{base}}} {power}",
                      f"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{{{base}}} {energy}"]
        text = "\n".join(lines) + "\n"
        f = tmp_path / f"mig-{minute}.prom"
        f.write_text(text)
        at = t0 + dt.timedelta(minutes=minute)
        mig.append(ScrapeFile(f, "h1", at, gpu_rows(parse(text), at, "h1")))
    with writer(wh) as conn:
        apply_ddl(conn)
        load_query_range_day(conn, metric="vllm:request_success_total", day="2026-10-01", files=[history])
        load_serving_scrapes(conn, scraped)
        load_dcgm_scrapes(conn, mig)
    dbt_build(wh)
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        requests = conn.execute("select service, requests, counter_resets from marts.fct_requests_hourly").fetchall()
        power, energy = conn.execute("select avg_power_w, energy_kwh from marts.fct_gpu_utilization_hourly "
                                     "where gpu_uuid = 'GPU-mig-parent'").fetchone()
    finally:
        conn.close()
    assert requests == [("chat-api", 150.0, 0)]
    assert power == pytest.approx(305.0, rel=1e-12)
    assert energy == pytest.approx(18_600.0 / 3.6e9, rel=1e-12)


def test_a_counter_that_began_inside_the_window_counts_from_zero(tmp_path: Path) -> None:
    """First values: a pod whose counter began after observation started (its `_created`, or its process start)
    counts its first value; one that began before, or says nothing, is left out and counted as left out. Resets are
    counted per metric: one restart resets the request counter once and each histogram bucket series once."""
    wh = tmp_path / "wh.duckdb"
    t0 = dt.datetime(2026, 10, 1, 10, 0)
    epoch = lambda t: t.replace(tzinfo=dt.timezone.utc).timestamp()  # noqa: E731
    long_ago, restart = epoch(dt.datetime(2026, 9, 1)), epoch(t0 + dt.timedelta(seconds=100))
    # pod: {minute: (request counter, its _created, process start)}; pod a restarts at 10:01:40
    pods = {
        "a": {0: (1000.0, long_ago, None), 1: (1010.0, long_ago, None), 2: (3.0, restart, None)},
        "b": {1: (40.0, epoch(t0 + dt.timedelta(seconds=30)), None), 2: (55.0, epoch(t0 + dt.timedelta(seconds=30)), None)},
        "c": {1: (7.0, None, epoch(t0 + dt.timedelta(seconds=45))), 2: (9.0, None, epoch(t0 + dt.timedelta(seconds=45)))},
        "d": {1: (5.0, None, None), 2: (6.0, None, None)},
    }
    scraped = []
    for n, (pod, minutes) in enumerate(pods.items()):
        instance = f"10.0.0.{n + 1}:8000"
        for minute, (value, created, started) in minutes.items():
            lbl = 'engine="0",finished_reason="stop",model_name="m"'
            lines = [f"vllm:request_success_total{{{lbl}}} {value!r}"]
            lines += [f'vllm:e2e_request_latency_seconds_bucket{{engine="0",le="{le}",model_name="m"}} {value!r}'
                      for le in ("1.0", "+Inf")]
            if created is not None:
                lines.append(f"vllm:request_success_created{{{lbl}}} {created!r}")
            if started is not None:
                lines.append(f"process_start_time_seconds {started!r}")
            text = "\n".join(lines) + "\n"
            f = tmp_path / f"{pod}-{minute}.prom"
            f.write_text(text)
            at = t0 + dt.timedelta(minutes=minute)
            scraped.append(ScrapeFile(f, instance, at, serving_rows(parse(text), at, service="chat-api",
                                                                    instance=instance)))
    with writer(wh) as conn:
        apply_ddl(conn)
        load_serving_scrapes(conn, scraped)
    dbt_build(wh)
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        requests = conn.execute("select requests, counter_resets from marts.fct_requests_hourly").fetchall()
        health = {m: r for m, *r in conn.execute(
            "select metric, series, resets, first_values_counted, first_values_left_out "
            "from marts.fct_counter_resets_daily").fetchall()}
    finally:
        conn.close()
    # a: 10 + 3 (restart counts from zero); b: 40 + 15; c: 7 + 2; d: its first 5 left out, then 1
    assert requests == [(10 + 3 + 55 + 9 + 1, 1)]
    assert health["vllm:request_success_total"] == [4, 1, 2, 2]
    # buckets have no _created of their own here; c's process start still dates them, b and d are left out
    assert health["vllm:e2e_request_latency_seconds_bucket"] == [8, 2, 2, 6]
