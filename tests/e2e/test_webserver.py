"""The real Dagster webserver, asked through its GraphQL API: the asset graph (with groups, kinds, owners and
descriptions), the asset checks, the schedules and the sensors are all there."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.webserver import dagster_webserver, graphql

pytestmark = pytest.mark.e2e

ASSETS = """
{ assetNodes { assetKey { path } groupName kinds description owners { ... on TeamAssetOwner { team } }
               dependencyKeys { path }
               assetChecksOrError { ... on AssetChecks { checks { name blocking } } } } }
"""
LOCATION = """
{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name }
    schedules { name cronSchedule executionTimezone }
    sensors { name sensorType } } } } }
"""


def _wait_for_location(base: str, timeout_s: float = 120) -> list[dict]:
    deadline = time.monotonic() + timeout_s
    while True:
        nodes = graphql(base, LOCATION)["repositoriesOrError"].get("nodes") or []
        if nodes or time.monotonic() > deadline:
            return nodes
        time.sleep(1)


def test_the_webserver_serves_the_graph_checks_schedules_and_sensors(infraledger_env: Path, tmp_path: Path) -> None:
    with dagster_webserver(tmp_path / "dagster_home", tmp_path / "webserver.log") as base:
        [repo] = _wait_for_location(base)
        assets = graphql(base, ASSETS)["assetNodes"]
    assert repo["location"]["name"] == "infraledger"
    by_key = {"/".join(a["assetKey"]["path"]): a for a in assets}
    marts = [k for k in by_key if k.startswith("marts/")]
    assert len(marts) >= 14 and len([k for k in by_key if k.startswith("raw/")]) >= 12
    for key, node in by_key.items():
        if key.startswith(("raw/", "staging/", "marts/")):
            assert node["groupName"] and node["description"], key
            assert node["kinds"] and {"team": "data-platform"} in node["owners"], key
    assert "duckdb" in by_key["raw/aws_cur_line_items"]["kinds"] and "s3" in by_key["raw/aws_cur_line_items"]["kinds"]
    assert "dbt" in by_key["marts/fct_cost"]["kinds"]
    # lineage: raw -> staging -> marts
    assert ["raw", "aws_cur_line_items"] in [d["path"] for d in by_key["staging/stg_aws_cur__line_items"]["dependencyKeys"]]
    checks = {(k, c["name"]): c["blocking"] for k, n in by_key.items()
              for c in (n["assetChecksOrError"] or {}).get("checks", [])}
    assert checks[("raw/aws_cur_line_items", "gx_suite")] is True
    assert ("marts/fct_cost", "reconciles_to_source_files") in checks
    assert all((m, "gx_suite") in checks for m in marts)
    schedules = {s["name"]: (s["cronSchedule"], s["executionTimezone"]) for s in repo["schedules"]}
    assert schedules["daily_ingestion_feeds"] == ("0 6 * * *", "UTC")
    assert {"daily_ingestion_billing", "daily_ingestion_sources", "load_telemetry_every_15_minutes"} <= set(schedules)
    sensors = {s["name"]: s["sensorType"] for s in repo["sensors"]}
    assert sensors["aws_cur_new_delivery"] == "STANDARD"
    assert sensors["publish_read_snapshot"] == "RUN_STATUS"
    assert sensors["default_automation_condition_sensor"] == "AUTO_MATERIALIZE"  # runs the marts' conditions
