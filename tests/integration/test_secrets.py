"""Secrets come only from environment variables (Dagster EnvVar) and end up nowhere else: AWS keys planted in the
environment are used for S3 and EC2 (moto over HTTP) and then searched for in the persistent Dagster instance,
the warehouse, the landing area and the data docs. (Redfish credentials: tests/integration/test_power_asset.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.runner import materialize
from tests.faults.faulty_proxy import FaultyProxy
from tests.secret_scan import file_leaks, warehouse_leaks

pytestmark = pytest.mark.integration
BUCKET = "infraledger-billing"
ACCESS_KEY = "AKIAPLANTEDKEY123456"
SECRET_KEY = "planted-secret-5b1e0c9d-never-stored"


def test_aws_keys_from_the_environment_are_used_and_never_stored(
        make_bucket, moto_endpoint: str, sample_dir: Path, infraledger_env: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture) -> None:
    client = make_bucket(BUCKET)
    for m in sorted((sample_dir / "aws_cur").rglob("*-Manifest.json")):
        for f in [m, *[sample_dir / "aws_cur" / u.split("/cur/", 1)[1] for u in json.loads(m.read_text())["dataFiles"]]]:
            client.upload_file(str(f), BUCKET, "cur/" + f.relative_to(sample_dir / "aws_cur").as_posix())
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    from pipelines.definitions import defs

    home = tmp_path / "dagster_home"
    home.mkdir()
    # every S3 and EC2 request passes a recording proxy on its way to moto
    with FaultyProxy(moto_endpoint) as proxy, dg.DagsterInstance.local_temp(str(home)) as instance:
        monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_LOCATION", f"s3://{BUCKET}/cur")
        monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_ENDPOINT_URL", proxy.endpoint)
        monkeypatch.setenv("INFRALEDGER_SOURCES_INVENTORY_EC2", "api")
        monkeypatch.setenv("INFRALEDGER_SOURCES_INVENTORY_ENDPOINT_URL", proxy.endpoint)
        [summary] = materialize(defs(), selection='key:"raw/aws_cur_line_items" or key:"raw/host_inventory"',
                                partitions=["2026-10-01"], instance=instance)
    assert summary.success and summary.checks_failed == []
    # the keys were really used: every request was SigV4-signed with the planted access key, and the rows landed
    assert len(proxy.authorizations) >= 3
    assert all(a.startswith(f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/") for a in proxy.authorizations), \
        proxy.authorizations[:3]
    assert all(SECRET_KEY not in a for a in proxy.authorizations)  # a signature, never the secret itself
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        landed = conn.execute("select count(*) from raw.aws_cur_line_items").fetchone()[0]
    finally:
        conn.close()
    assert landed > 0
    # both APIs were asked: S3 (GET/HEAD of the export) and EC2 (its query API is a POST to /)
    assert {m for m, _, _ in proxy.served} >= {"GET", "POST"}
    out = capfd.readouterr()
    for secret in (SECRET_KEY, ACCESS_KEY):
        assert secret not in out.out + out.err
        assert warehouse_leaks(infraledger_env, secret) == []
        assert file_leaks([home, infraledger_env.parent / "landing", infraledger_env.parent / "data"], secret) == []
    # the scan itself finds a secret where one is (so the checks above can fail)
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "leak.json").write_text(json.dumps({"key": SECRET_KEY}))
    assert file_leaks([canary], SECRET_KEY) == [str(canary / "leak.json")]
    conn = duckdb.connect(str(infraledger_env))
    conn.execute("create table audit.canary as select ? as note", [f"x {SECRET_KEY} y"])
    conn.close()
    assert warehouse_leaks(infraledger_env, SECRET_KEY) == ["audit.canary.note"]
