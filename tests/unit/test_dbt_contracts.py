"""dbt owns the data contracts: every model has YAML with a description and a grain test where it has a grain, and
the marts under an enforced contract describe and type every column (dbt then refuses a build whose columns drift)."""

from __future__ import annotations

import json

import pytest

from pipelines.lib.dbt_manifest import ensure_manifest
from pipelines.lib.dbt_project import infraledger_dbt_project

pytestmark = pytest.mark.unit
# fct_cost and fct_cost_daily carry one tag_<key> column per configured allocation tag key (a dbt var): their contract
# lists the default keys' columns and is enforced while the keys are the default ones (as this manifest's are)
CONFIGURABLE_COLUMNS = {"fct_cost", "fct_cost_daily"}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(ensure_manifest(infraledger_dbt_project()).read_text())


def test_every_model_has_yaml_and_a_description(manifest: dict) -> None:
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert len(models) >= 29
    undocumented = [n["name"] for n in models if not n.get("patch_path") or not n.get("description", "").strip()]
    assert undocumented == []


def test_contracted_marts_type_and_describe_every_column(manifest: dict) -> None:
    marts = {n["name"]: n for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["schema"] == "marts"}
    assert len(marts) >= 15
    for name, node in marts.items():
        assert node["config"]["contract"]["enforced"] is True, name
        columns = node["columns"]
        assert columns, name
        missing = [c for c, spec in columns.items() if not spec.get("data_type") or not spec.get("description")]
        assert missing == [], (name, missing)


def test_every_raw_source_is_a_dbt_source_that_gives_its_asset_a_description_and_freshness() -> None:
    """The raw assets take description and freshness from their dbt source (one home): every raw source has one,
    every feed declares freshness with a loaded-at column, and the asset's policy is dbt's error_after/warn_after."""
    import datetime as dt

    from pipelines.definitions import defs
    from pipelines.lib.dbt_sources import raw_table_contracts
    from pipelines.lib.raw_source import raw_key
    from pipelines.sources.registry import RAW_SOURCES

    contracts = raw_table_contracts()
    assert {t for s in RAW_SOURCES for t in (s.table, *s.also)} <= set(contracts)
    no_freshness = {t for t, c in contracts.items() if c.freshness is None}
    # the topology file's tables (configuration, not a feed) and the Prometheus series labels (a dimension)
    assert no_freshness == {"power_racks", "power_hosts", "power_meters", "power_tariffs", "onprem_assets",
                            "prometheus_series"}
    graph = defs().resolve_asset_graph()
    for table in (t for s in RAW_SOURCES for t in (s.table, *s.also)):
        node, contract = graph.get(raw_key(table)), contracts[table]
        assert node.description.startswith(contract.description), table
        assert node.freshness_policy == contract.freshness, table
    cur = contracts["aws_cur_line_items"].freshness
    assert (cur.fail_window.to_timedelta(), cur.warn_window.to_timedelta()) == (dt.timedelta(hours=36),
                                                                                dt.timedelta(hours=26))
    dcgm = contracts["dcgm_samples"].freshness
    assert dcgm.fail_window.to_timedelta() == dt.timedelta(minutes=15)


def test_models_read_raw_tables_only_through_declared_sources() -> None:
    """No model reaches a raw table through ``source(...).schema``; marts and intermediate models use ref() only."""
    from pathlib import Path

    models = Path(__file__).resolve().parents[2] / "dbt" / "models"
    offenders = [str(p.relative_to(models)) for p in models.rglob("*.sql") if ").schema" in p.read_text()]
    assert offenders == []
    direct = [str(p.relative_to(models)) for layer in ("intermediate", "marts") for p in (models / layer).rglob("*.sql")
              if "source(" in p.read_text()]
    assert direct == []


def test_other_allocation_tag_keys_set_the_cost_contracts_aside(tmp_path) -> None:
    """With other keys the cost marts get other tag_<key> columns: their contracts step aside (the build would
    fail on them otherwise) and every other mart keeps its own."""
    import os
    import subprocess

    from pipelines.lib.dbt_manifest import dbt_executable

    project = infraledger_dbt_project()
    proc = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(project.project_dir), "--profiles-dir",
         str(project.profiles_dir), "--target-path", str(tmp_path), "--vars", "{allocation_tag_keys: [service, env]}"],
        cwd=project.project_dir, env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    nodes = json.loads((tmp_path / "manifest.json").read_text())["nodes"].values()
    enforced = {n["name"]: n["config"]["contract"]["enforced"] for n in nodes
                if n["resource_type"] == "model" and n["schema"] == "marts"}
    assert {name for name, on in enforced.items() if not on} == CONFIGURABLE_COLUMNS
