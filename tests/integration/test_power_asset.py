"""The power asset walks a live Redfish service (loopback DMTF PDU mockup, basic auth from the environment) for
today's partition, loads its readings and problems, and keeps the password out of logs, metadata and warehouse."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.integration.redfish_loopback import RedfishMockup
from tests.secret_scan import warehouse_leaks

pytestmark = pytest.mark.integration
KEY = dg.AssetKey(["raw", "power_readings"])
PASSWORD = "s3cret-pw"


def test_live_redfish_walk_lands_for_today_without_leaking_the_password(
        shared_data: Path, infraledger_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    monkeypatch.setenv("INFRALEDGER_REDFISH_USERNAME", "admin")
    monkeypatch.setenv("INFRALEDGER_REDFISH_PASSWORD", PASSWORD)
    monkeypatch.setenv("INFRALEDGER_SOURCES_POWER_LOCATION", str(tmp_path / "no-files"))
    with RedfishMockup(shared_data / "redfish" / "mockups" / "public-pdu") as svc:
        monkeypatch.setenv("INFRALEDGER_SOURCES_POWER_REDFISH",
                           json.dumps([{"url": svc.endpoint, "auth": "basic", "timeout_s": 5}]))
        from pipelines.definitions import defs

        job = defs().resolve_implicit_global_asset_job_def()
        with dg.DagsterInstance.ephemeral() as instance:
            result = job.execute_in_process(instance=instance, partition_key=today, asset_selection=[KEY])
            assert result.success
            records = instance.fetch_materializations(KEY, limit=100).records
            metadata = json.dumps([str(r.event_log_entry) for r in records])
            logs = json.dumps([str(e) for e in instance.all_logs(result.run_id)])
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["rows_accounted_for"] is True and checks["redfish_consistent"] is False  # the mockup's dangling links
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        mains = conn.execute("select value from raw.power_readings where source = 'redfish' and kind = 'mains' "
                             "and metric = 'power_kw'").fetchall()
        dangling = conn.execute("select count(distinct uri) from raw.redfish_problems "
                                "where problem = 'dangling_link'").fetchone()[0]
    finally:
        conn.close()
    assert mains == [(pytest.approx(2.7348),)] and dangling == 8
    assert warehouse_leaks(infraledger_env, PASSWORD) == []
    assert PASSWORD not in metadata and PASSWORD not in logs
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err
    landed = list((infraledger_env.parent / "landing" / "redfish").rglob("*.json"))
    assert landed and all(PASSWORD not in f.read_text() for f in landed)
