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


def test_a_range_run_reads_a_monthly_bms_file_once(infraledger_env: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A backfill of several days with one monthly BMS export reads the file once, and each day gets its own
    readings (a day's rows never land in another day's partition)."""
    import warehouse.loaders.power as power_loader

    folder = tmp_path / "power"
    (folder / "bms").mkdir(parents=True)
    days = ["2026-10-01", "2026-10-02", "2026-10-03"]
    lines = ["timestamp,site,room,rack,pdu,kw"]
    for n, day in enumerate(days):
        for minute in range(3):
            lines.append(f"{day}T00:0{minute}:00Z,iad,hall-1,rack-a1,pdu-a1,{10 + n}.5")
    (folder / "bms" / "facility-2026-10.csv").write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("INFRALEDGER_SOURCES_POWER_LOCATION", str(folder))
    reads: list[Path] = []
    real_read = power_loader.read_csv_as_text
    monkeypatch.setattr(power_loader, "read_csv_as_text",
                        lambda conn, path, table: reads.append(path) or real_read(conn, path, table))
    from pipelines.definitions import defs

    job = defs().resolve_implicit_global_asset_job_def()
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, asset_selection=[KEY], tags={
            "dagster/asset_partition_range_start": days[0], "dagster/asset_partition_range_end": days[-1]})
    assert result.success
    assert reads == [folder / "bms" / "facility-2026-10.csv"]
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        per_day = conn.execute("select _partition, count(*), min(value), max(value) from raw.power_readings "
                               "where source = 'bms' group by 1 order by 1").fetchall()
    finally:
        conn.close()
    assert per_day == [(f"bms/{d}", 3, 10 + n + 0.5, 10 + n + 0.5) for n, d in enumerate(days)]
