"""S3 throttling and server errors between boto3 and a real S3 API (moto): retried with backoff until the load
completes with the right totals, or, when they never stop, a clear failure naming the operation."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.cur_totals import dedup_total
from tests.faults.faulty_proxy import FaultyProxy

pytestmark = pytest.mark.integration
BUCKET = "infraledger-billing"
KEY = dg.AssetKey(["raw", "aws_cur_line_items"])


def _upload_latest_delivery(client, sample_dir: Path) -> list[Path]:
    manifests = sorted((sample_dir / "aws_cur").rglob("*-Manifest.json"),
                       key=lambda p: json.loads(p.read_text())["deliveryTime"])
    latest = manifests[-1]
    data = [sample_dir / "aws_cur" / u.split("/cur/", 1)[1] for u in json.loads(latest.read_text())["dataFiles"]]
    for f in [latest, *data]:
        client.upload_file(str(f), BUCKET, "cur/" + f.relative_to(sample_dir / "aws_cur").as_posix())
    return data


def _dedup_total(files: list[Path]) -> Decimal:
    return dedup_total(files)[1].quantize(Decimal("1e-10"))


def _load(endpoint: str, monkeypatch: pytest.MonkeyPatch, max_attempts: int) -> dg.ExecuteInProcessResult:
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_LOCATION", f"s3://{BUCKET}/cur")
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_MAX_ATTEMPTS", str(max_attempts))
    from pipelines.definitions import defs

    job = defs().resolve_implicit_global_asset_job_def()
    return job.execute_in_process(partition_key="2026-10-01", instance=dg.DagsterInstance.ephemeral(),
                                  asset_selection=[KEY], raise_on_error=False)


def test_throttling_and_500s_are_retried_and_the_load_is_right(
        make_bucket, moto_endpoint: str, sample_dir: Path, infraledger_env: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = _upload_latest_delivery(make_bucket(BUCKET), sample_dir)
    with FaultyProxy(moto_endpoint, faults=[503, 503, 500, 503, 500]) as proxy:
        result = _load(proxy.endpoint, monkeypatch, max_attempts=8)
    assert result.success
    faults = [s for _, _, s in proxy.served if s >= 500]
    assert faults == [503, 503, 500, 503, 500]
    # every faulted request was asked again until it answered: the served log ends in successes
    assert proxy.served[-1][2] == 200 and len(proxy.served) > len(faults)
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        total = conn.execute("select sum(cast(line_item_unblended_cost as decimal(38,10))) "
                             "from raw.aws_cur_line_items").fetchone()[0]
        loads = conn.execute("select status, count(*) from audit.loads group by 1").fetchall()
    finally:
        conn.close()
    assert total == _dedup_total(files)
    assert loads == [("success", 1)]


@pytest.mark.slow
def test_errors_that_never_stop_fail_clearly_after_the_retries(
        make_bucket, moto_endpoint: str, sample_dir: Path, infraledger_env: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _upload_latest_delivery(make_bucket(BUCKET), sample_dir)
    with FaultyProxy(moto_endpoint, always=500) as proxy:
        result = _load(proxy.endpoint, monkeypatch, max_attempts=3)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    error, messages = failure.step_failure_data.error, []
    while error is not None:  # Dagster's own retries (2) wrap the cause: "Exceeded max_retries of 2"
        messages.append(error.message)
        error = error.cause
    assert any("InternalError" in m and "ListObjectsV2" in m and "reached max retries" in m for m in messages), \
        messages
    # it stopped by itself after a bounded number of requests: boto3 three attempts per call, Dagster three tries
    assert len(proxy.served) == 3 * 3
