"""great-expectations asset checks in real Dagster runs: every raw source and mart has one, a poisoned raw load
blocks the models downstream, and each validation is kept in audit.quality_results and the data docs."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.runner import materialize

pytestmark = pytest.mark.e2e
CUR_KEY = dg.AssetKey(["raw", "aws_cur_line_items"])
STAGING_KEY = dg.AssetKey(["staging", "stg_aws_cur__line_items"])


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.ephemeral() as inst:
        yield inst


def test_every_raw_source_and_mart_has_a_gx_check() -> None:
    from pipelines.definitions import defs

    graph = defs().resolve_asset_graph()
    checks = {(c.asset_key, c.name): graph.get_check_spec(c) for c in graph.asset_check_keys}
    raw = [k for k in graph.materializable_asset_keys if k.path[0] == "raw"]
    marts = [k for k in graph.materializable_asset_keys if k.path[0] == "marts"]
    assert len(raw) >= 12 and len(marts) >= 14
    for key in raw + marts:
        assert (key, "gx_suite") in checks, key.to_user_string()
    # raw suites block the models downstream, except a source the configuration does not name (nothing to gate)
    unconfigured = {dg.AssetKey(["raw", "aws_cur_legacy_line_items"]), dg.AssetKey(["raw", "focus_cost_rows"])}
    assert all(checks[(k, "gx_suite")].blocking for k in raw if k not in unconfigured)
    assert not any(checks[(k, "gx_suite")].blocking for k in unconfigured)


def _poison_latest_delivery(src: Path) -> str:
    """Move one line item of the newest CUR delivery into the next month: the loader accepts the row (it is well
    formed) but the suite's rule 'a charge falls inside its billing period' must catch it."""
    manifests = sorted(src.rglob("*-Manifest.json"), key=lambda p: json.loads(p.read_text())["deliveryTime"])
    first = json.loads(manifests[-1].read_text())["dataFiles"][0]
    path = src / first.split("/cur/", 1)[1]
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["line_item_usage_start_date"] += timedelta(days=40)
    rows[0]["line_item_usage_end_date"] += timedelta(days=40)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    return rows[0]["identity_line_item_id"]


@pytest.mark.parametrize("chunk_mib", [None, 0.05], ids=["one_frame", "row_chunks"])
def test_a_poisoned_raw_load_blocks_staging_and_is_recorded(
    infraledger_env: Path, sample_dir: Path, tmp_path: Path, instance: dg.DagsterInstance,
    monkeypatch: pytest.MonkeyPatch, chunk_mib: float | None,
) -> None:
    """The same failure, example row, record and docs page whether the month is validated as one frame or (a
    ``quality.chunk_mib`` far below its size) in row chunks whose results are merged."""
    from pipelines.definitions import defs

    src = tmp_path / "aws_cur"
    shutil.copytree(sample_dir / "aws_cur", src)
    poisoned = _poison_latest_delivery(src)
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_LOCATION", str(src))
    if chunk_mib is not None:
        monkeypatch.setenv("INFRALEDGER_QUALITY_CHUNK_MIB", str(chunk_mib))

    [summary] = materialize(defs(), selection='key:"raw/aws_cur_line_items" or key:"staging/stg_aws_cur__line_items"',
                            partitions=["2026-10-01"], instance=instance)
    assert summary.checks_failed == ["raw/aws_cur_line_items:gx_suite"]
    # what the CLI prints and the run logs: the rule, why it exists, how many rows fail, and the failing row
    [detail] = summary.failure_details
    assert detail.startswith("raw/aws_cur_line_items:gx_suite: expect_column_pair_values_a_to_be_greater_than_b")
    assert " rows fail; e.g. bill_billing_period_end_date=" in detail and f"identity_line_item_id={poisoned}" in detail
    assert instance.get_latest_materialization_event(CUR_KEY) is not None
    assert instance.get_latest_materialization_event(STAGING_KEY) is None  # blocked, not built on bad rows

    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        failed = conn.execute(
            "select expectation, column_name, severity, unexpected_count, docs_page, scope from audit.quality_results "
            "where asset_key = 'raw/aws_cur_line_items' and not success").fetchall()
        [(month_rows,)] = conn.execute(
            "select count(*) from raw.aws_cur_line_items where _billing_period like '2026-10%'").fetchall()
    finally:
        conn.close()
    assert [(e, c, s, n) for e, c, s, n, _, _ in failed] == [
        ("expect_column_pair_values_a_to_be_greater_than_b", None, "error", 1)]
    page, scope = Path(failed[0][4]), failed[0][5]
    assert page.is_file() and "aws_cur_line_items" in page.read_text()
    assert "2026-10" in scope
    # the result kept for the docs page is one result over the month's rows, however they were validated
    site = next(p for p in page.parents if p.name == "local_site")
    stored = json.loads((site.parents[1] / "validations" / page.relative_to(site / "validations")
                         ).with_suffix(".json").read_text())
    counts = {r["expectation_config"]["type"]: r["result"].get("element_count") for r in stored["results"]}
    assert counts["expect_column_values_to_not_be_null"] == month_rows
    chunks = stored["meta"].get("row_chunks", 1)
    assert (chunks > 1) if chunk_mib is not None else (chunks == 1)

    [evaluation] = _check_evaluations(instance, CUR_KEY, "gx_suite")
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["row_chunks"].value == chunks  # the check says how its rows were validated
    assert evaluation.metadata["rows_validated"].value == month_rows
    # a path the user can copy from the UI (a file:// link is blocked by the browser from the UI's page)
    assert isinstance(evaluation.metadata["data_docs"], dg.PathMetadataValue)
    assert evaluation.metadata["data_docs"].value == str(page)


def _check_evaluations(instance: dg.DagsterInstance, key: dg.AssetKey, name: str) -> list:
    evaluations = [e.dagster_event.event_specific_data for run in instance.get_runs()
                   for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    return [e for e in evaluations if e.asset_key == key and e.check_name == name]
