"""A new source is a plan, a fetch, a loader and one factory call (tests/e2e/toy_source.py, under 80 lines): it shows
in the UI with its checks, partitions and freshness, and materializes with its load checks, idempotently."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.e2e.test_webserver import _wait_for_location
from tests.e2e.toy_source import toy_definitions
from tests.e2e.webserver import REPO_ROOT, dagster_webserver, graphql

pytestmark = pytest.mark.e2e
TOY_FILE = Path(__file__).with_name("toy_source.py")
NODE = """
{ assetNodes { assetKey { path } groupName description
    partitionDefinition { description }
    internalFreshnessPolicy { ... on TimeWindowFreshnessPolicy { failWindowSeconds } }
    assetChecksOrError { ... on AssetChecks { checks { name blocking } } } } }
"""


def test_the_toy_source_is_under_80_lines() -> None:
    assert len(TOY_FILE.read_text().splitlines()) < 80


def test_the_toy_source_appears_in_the_ui_with_checks_partitions_and_freshness(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text(f"load_from:\n  - python_file:\n      relative_path: {TOY_FILE}\n"
                         f"      working_directory: {REPO_ROOT}\n      location_name: toy\n")
    with dagster_webserver(tmp_path / "dagster_home", tmp_path / "webserver.log", workspace=workspace) as base:
        assert _wait_for_location(base)
        nodes = {"/".join(n["assetKey"]["path"]): n for n in graphql(base, NODE)["assetNodes"]}
    node = nodes["raw/toy_meter_readings"]
    assert node["groupName"] == "toy" and node["description"].startswith("Meter readings")
    assert "Daily" in node["partitionDefinition"]["description"]
    assert node["internalFreshnessPolicy"]["failWindowSeconds"] == 36 * 3600
    assert {c["name"]: c["blocking"] for c in node["assetChecksOrError"]["checks"]} == {
        "rows_accounted_for": True, "matches_manifest_row_count": True, "meters_present": True}


def test_the_toy_source_materializes_with_its_checks_and_reruns_idempotently(tmp_path: Path) -> None:
    meters = tmp_path / "meters"
    meters.mkdir()
    (meters / "readings-2026-10-01.csv").write_text(
        "read_at,meter,kwh\n2026-10-01 00:00:00,m1,1.5\n2026-10-01 01:00:00,m1,2.25\n2026-10-01 02:00:00,m1,-1\n"
        "2026-10-01 03:00:00,m2,n/a\n")
    warehouse = tmp_path / "wh.duckdb"
    defs = toy_definitions(str(warehouse), str(meters), str(tmp_path / "landing"))
    job = defs.resolve_implicit_global_asset_job_def()
    for _ in range(2):
        result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), partition_key="2026-10-01")
        assert result.success
        checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
        assert checks == {"rows_accounted_for": True, "matches_manifest_row_count": True, "meters_present": True}
        [mat] = result.asset_materializations_for_node("toy_meter_readings")
        meta = {k: v.value for k, v in mat.metadata.items()}
        assert (meta["rows_read"], meta["rows_loaded"], meta["rows_quarantined"]) == (4, 2, 2)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("select meter, sum(kwh) from raw.toy_meter_readings group by 1").fetchall() == [
            ("m1", Decimal("3.750000"))]
    assert (tmp_path / "landing" / "toy_meters" / "readings-2026-10-01.csv").is_file()
