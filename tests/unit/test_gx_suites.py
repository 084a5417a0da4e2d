"""The great-expectations suites: every rule builds, good rows pass, bad rows name the broken rule, warnings are
told apart from errors, and results land in the data docs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.quality.gx_runner import validate
from pipelines.quality.registry import ALL_SUITES, MART_SUITES, RAW_SUITES
from pipelines.quality.suites import focus as focus_suite
from pipelines.quality.suites import gcp_billing as gcp_suite
from pipelines.quality.suites import prices
from warehouse.loaders.focus import load_focus_delivery
from warehouse.loaders.gcp_billing import load_gcp_export_files
from warehouse.schema import apply_ddl

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.unit


def test_every_rule_is_a_valid_expectation() -> None:
    import great_expectations as gx

    for suite in ALL_SUITES:
        assert suite.rules, suite.name
        for rule in suite.rules:
            getattr(gx.expectations, rule.expectation)(**rule.kwargs)  # raises on a typo or a bad argument
            assert rule.severity in ("error", "warn") and rule.why, (suite.name, rule)
    assert len({s.name for s in ALL_SUITES}) == len(ALL_SUITES)
    assert all(s.blocking for s in RAW_SUITES)
    assert {s.asset[0] for s in MART_SUITES} == {"marts"}


def test_focus_suite_on_the_real_sample(shared_data: Path) -> None:
    conn = duckdb.connect()
    apply_ddl(conn)
    load_focus_delivery(conn, export_name="s", billing_period="2024-09", delivery_id="d",
                        files=[shared_data / "focus/FOCUS-1.0/focus_sample.csv"])
    frame = conn.execute("select * exclude (tags, sku_price_details, _coercions, _extra_columns) "
                         "from raw.focus_cost_rows").df()
    assert validate(frame, focus_suite.SUITE).success

    frame.loc[0, "charge_category"] = "Bonus"
    frame.loc[1, "charge_period_start"] = frame.loc[1, "billing_period_end"]
    summary = validate(frame, focus_suite.SUITE)
    failed = {(o.expectation, o.column) for o in summary.errors}
    assert ("expect_column_values_to_be_in_set", "charge_category") in failed
    assert any(e == "expect_column_pair_values_a_to_be_greater_than_b" for e, _ in failed)


def test_gcp_suite_on_the_sample_export(sample_dir: Path) -> None:
    conn = duckdb.connect()
    apply_ddl(conn)
    load_gcp_export_files(conn, table_name="t", files=sorted((sample_dir / "gcp_billing").rglob("*.ndjson")))
    frame = conn.execute("select * exclude (labels, project_labels, system_labels, credits, adjustment_info) "
                         "from raw.gcp_billing_export").df()
    assert validate(frame, gcp_suite.SUITE).success
    frame.loc[2, "_row_hash"] = frame.loc[3, "_row_hash"]
    summary = validate(frame, gcp_suite.SUITE)
    assert [(o.expectation, o.column) for o in summary.failed] == [("expect_column_values_to_be_unique", "_row_hash")]


def _spot_frame(prices_per_hour: list[float]) -> pd.DataFrame:
    n = len(prices_per_hour)
    return pd.DataFrame({
        "region": ["us-east-1"] * n, "availability_zone": ["us-east-1a"] * n, "instance_type": ["p5.48xlarge"] * n,
        "product_description": ["Linux/UNIX"] * n, "spot_price": prices_per_hour,
        "price_timestamp": pd.date_range("2026-10-01", periods=n, freq="h"),
    })


def test_a_warning_rule_is_reported_apart_from_errors(tmp_path: Path) -> None:
    summary = validate(_spot_frame([12.5, 9000.0]), prices.SPOT, docs_dir=tmp_path / "quality")
    assert not summary.success
    assert summary.errors == []
    assert [(o.column, o.unexpected_count) for o in summary.warnings] == [("spot_price", 1)]

    summary = validate(_spot_frame([12.5, -1.0]), prices.SPOT, docs_dir=tmp_path / "quality")
    assert [(o.expectation, o.column) for o in summary.errors] == [("expect_column_values_to_be_between", "spot_price")]


def test_results_are_kept_in_the_data_docs(tmp_path: Path) -> None:
    docs = tmp_path / "quality"
    first = validate(_spot_frame([1.0]), prices.SPOT, docs_dir=docs)
    second = validate(_spot_frame([1.0, -2.0]), prices.SPOT, docs_dir=docs)
    for summary in (first, second):
        assert summary.docs_page is not None and summary.docs_page.is_file()
        assert "aws_spot_prices" in summary.docs_page.read_text()
    index = (docs / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").read_text()
    assert first.docs_page.parent.name in index and second.docs_page.parent.name in index


def test_a_validation_does_not_hash_every_value_of_its_frame(tmp_path: Path) -> None:
    """GX's batch fingerprint (a hash of every value) was half of a CUR month's validation and is read by nothing:
    it is off, and the kept result still records the rules, their outcomes and the rows they saw."""
    docs = tmp_path / "quality"
    summary = validate(_spot_frame([1.0, -2.0]), prices.SPOT, docs_dir=docs)
    [kept] = (docs / "gx" / "uncommitted" / "validations").rglob("*.json")
    result = json.loads(kept.read_text())
    assert "ge_load_time" in result["meta"]["batch_markers"]  # the markers are there, the fingerprint is not
    assert "pandas_data_fingerprint" not in result["meta"]["batch_markers"]
    assert len(result["results"]) == len(prices.SPOT.rules) == len(summary.outcomes)
    assert not result["success"] and [o.column for o in summary.errors] == ["spot_price"]


LET_GO = """
import gc, sys, weakref
from pathlib import Path
from pipelines.quality.gx_runner import gx_session
from pipelines.quality.suites import prices
from tests.unit.test_gx_suites import _spot_frame

def validate_in_a_session(frame, docs_dir):
    with gx_session(docs_dir) as session:  # the first session imports GX
        session.validate(frame, prices.SPOT)

for docs_dir in (Path(sys.argv[1]), None):  # a file context, then an ephemeral one
    frame = _spot_frame([12.5, 9000.0])
    alive = weakref.ref(frame)
    validate_in_a_session(frame, docs_dir)
    del frame
    gc.collect()
    assert alive() is None, f"the frame validated in {docs_dir or 'an ephemeral context'} is still referenced"
    # the first import froze what the process keeps for life (GX's modules among it): collections skip them
    assert gc.get_freeze_count() > 100_000, gc.get_freeze_count()
"""


def test_a_validated_frame_is_let_go_when_its_session_ends(tmp_path: Path) -> None:
    """A run's process must not keep a step's frame (a CUR month: hundreds of MB) into the next steps. GX kept it
    twice: its process-wide context held the last one validated, and exceptions it keeps from its own import held
    the frames that first imported it, with their locals. In a fresh process, where the first session imports GX
    (and freezes the objects alive then: a frame among them is still freed when let go)."""
    done = subprocess.run([sys.executable, "-c", LET_GO, str(tmp_path / "quality")], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def test_an_unchanged_suite_is_not_declared_again_and_a_changed_one_is(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A suite's stored GX objects (suite, validation definition, checkpoint) and its docs page are written when its
    rules are new or changed, not on every validation; every validation still gets its result and page."""
    from dataclasses import replace

    from pipelines.quality.rules import between

    docs = tmp_path / "quality"
    stored = docs / "gx" / "expectations" / "aws_spot_prices.json"
    suite_page = docs / "gx" / "uncommitted" / "data_docs" / "local_site" / "expectations" / "aws_spot_prices.html"
    declared = docs / "gx" / "infraledger_declared_suites.json"
    first = validate(_spot_frame([1.0]), prices.SPOT, docs_dir=docs)
    written = (stored.stat().st_mtime_ns, suite_page.stat().st_mtime_ns, declared.stat().st_mtime_ns)
    second = validate(_spot_frame([1.0, -2.0]), prices.SPOT, docs_dir=docs)
    assert (stored.stat().st_mtime_ns, suite_page.stat().st_mtime_ns, declared.stat().st_mtime_ns) == written
    assert first.success and not second.success and second.docs_page.is_file()
    assert second.docs_page != first.docs_page

    # a rule changed (the price ceiling): the stored suite and its page follow, and the new rule judges the rows
    stricter = replace(prices.SPOT, rules=(*prices.SPOT.rules, between("spot_price", None, 0.5, why="a ceiling")))
    third = validate(_spot_frame([1.0]), stricter, docs_dir=docs)
    assert stored.stat().st_mtime_ns != written[0] and suite_page.stat().st_mtime_ns != written[1]
    assert [(o.column, o.unexpected_count) for o in third.errors] == [("spot_price", 1)]
    assert {e["kwargs"].get("max_value") for e in json.loads(stored.read_text())["expectations"]} >= {0.5, 500}

    # the stored objects removed by hand: declared again, not an error
    stored.unlink()
    for checkpoint in (docs / "gx" / "checkpoints").glob("*.json"):
        checkpoint.unlink()
    assert not validate(_spot_frame([1.0]), stricter, docs_dir=docs).success and stored.is_file()

    # the same rules written another way (a new DECLARATION, as a new GX release would be): declared again
    from pipelines.quality import gx_runner

    before = stored.stat().st_mtime_ns
    validate(_spot_frame([1.0]), stricter, docs_dir=docs)
    assert stored.stat().st_mtime_ns == before
    monkeypatch.setattr(gx_runner, "DECLARATION", gx_runner.DECLARATION + 1)
    validate(_spot_frame([1.0]), stricter, docs_dir=docs)
    assert stored.stat().st_mtime_ns != before


def test_a_session_declaring_suites_into_a_new_project_writes_its_project_file_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GX rewrites great_expectations.yml (every data asset in it) whenever a data asset or batch definition is added:
    twice per suite declared. A session writes it once, at its end, and the next session finds every suite there."""
    from great_expectations.data_context.data_context.file_data_context import FileDataContext

    from pipelines.quality.gx_runner import gx_session

    written: list[Path] = []
    real = FileDataContext._save_project_config
    monkeypatch.setattr(FileDataContext, "_save_project_config",
                        lambda self: (written.append(Path(self.root_directory)), real(self))[1])
    docs = tmp_path / "quality"
    spot = _spot_frame([1.0, 2.0])
    with gx_session(docs) as session:
        session.validate(spot, prices.SPOT)
        session.validate(spot.rename(columns={"spot_price": "price"}), prices.GCP_SKU)
        session.validate(spot, focus_suite.SUITE)
    assert len(written) == 1, written
    with gx_session(docs) as session:  # the stored checkpoints are used as they are: nothing is declared again
        assert session.validate(spot, prices.SPOT).success
    assert len(written) == 1, written
    assert json.loads((docs / "gx" / "infraledger_declared_suites.json").read_text()).keys() == {
        prices.SPOT.name, prices.GCP_SKU.name, focus_suite.SUITE.name}


def test_a_validation_is_stored_as_its_checkpoints_run_without_reading_the_checkpoint_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checkpoint a session read from its store (or added to it) is not read back and compared before each
    validation; the result is stored as the checkpoint's run stores it (its checkpoint id, its page)."""
    from great_expectations.checkpoint.checkpoint import Checkpoint

    docs = tmp_path / "quality"
    validate(_spot_frame([1.0]), prices.SPOT, docs_dir=docs)  # declared and stored

    def refused(self):
        raise AssertionError("the checkpoint was read back and compared")

    monkeypatch.setattr(Checkpoint, "is_fresh", refused)
    summary = validate(_spot_frame([1.0, -2.0]), prices.SPOT, docs_dir=docs)
    assert not summary.success and summary.docs_page.is_file()
    stored = json.loads((docs / "gx" / "uncommitted" / "validations").joinpath(
        *summary.docs_page.relative_to(docs / "gx" / "uncommitted" / "data_docs" / "local_site" / "validations")
        .with_suffix(".json").parts).read_text())
    [checkpoint] = [json.loads(p.read_text())["id"] for p in (docs / "gx" / "checkpoints").glob("*.json")]
    assert stored["meta"]["checkpoint_id"] == checkpoint and not stored["success"]


def test_data_docs_templates_are_compiled_once_a_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GX makes a new Jinja environment for every view of every docs build; the compiled templates are kept, so a
    later session's pages are rendered without compiling any template again."""
    import jinja2

    from pipelines.quality.gx_runner import gx_session

    spot = _spot_frame([1.0, -2.0])
    pages = []
    for docs in (tmp_path / "a", tmp_path / "b"):
        compiled: list[str] = []
        real = jinja2.Environment.compile
        monkeypatch.setattr(jinja2.Environment, "compile",
                            lambda self, source, name=None, *a, **k: (compiled.append(name),
                                                                      real(self, source, name, *a, **k))[1])
        with gx_session(docs) as session:
            pages.append(session.validate(spot, prices.SPOT).docs_page)
        monkeypatch.undo()
    assert not compiled, compiled  # the second project's session: every template was compiled already
    assert all(p.is_file() and "spot_price" in p.read_text() for p in pages)


def test_the_documented_rules_are_the_rules_that_run() -> None:
    from pipelines.quality.docs import render

    doc = Path(__file__).resolve().parents[2] / "docs" / "data-quality.md"
    assert doc.read_text() == render(), "docs/data-quality.md is stale: python -m pipelines.quality.docs > it"


def test_a_failed_rule_names_itself_its_failing_rows_and_an_example_row() -> None:
    from pipelines.quality.gx_runner import describe_failure
    from pipelines.quality.suites.marts_economics import FCT_UNIT_ECONOMICS_DAILY

    frame = pd.DataFrame({
        "day": pd.to_datetime(["2026-10-01", "2026-10-01", "2026-10-01"]),
        "service": ["chat-api", "llm-pretrain", "embeddings"],
        "currency": ["USD", None, "USD"],
        "net_cost_billed": [1.0, 0.0, 2.0], "net_cost_amortized": [1.0, 0.0, 2.0],
        "gross_cost_billed": [1.0, 0.0, 2.0], "gross_cost_amortized": [1.0, 0.0, 2.0],
        "requests": [10, 0, 5], "cost_per_1k_requests_billed": [100.0, None, 400.0], "gpu_hours": [1.0, 8.0, 0.5],
    })
    summary = validate(frame, FCT_UNIT_ECONOMICS_DAILY)
    [error] = summary.errors
    line = describe_failure(error, summary.rows)
    assert line.startswith("expect_column_values_to_not_be_null(currency) [required]")
    assert "1 of 3 rows fail" in line and "service=llm-pretrain" in line and "currency=NULL" in line
    assert summary.as_metadata()["errors"] == [line]


def test_every_mart_suite_checks_the_grain_dbt_declares() -> None:
    """The grain is written once, in the model's YAML: each mart suite's uniqueness rule is read from the manifest,
    so the two can no longer disagree (they did: GX had added `service` to the GPU-hour grain, which is one row per GPU and hour; dbt had left `site`
    out of the rack-hour grain, though a rack name is unique within its site only)."""
    import json

    from pipelines.lib.dbt_manifest import ensure_manifest
    from pipelines.lib.dbt_project import infraledger_dbt_project
    from pipelines.quality.registry import MART_SUITES

    manifest = json.loads(ensure_manifest(infraledger_dbt_project()).read_text())
    declared = {(n.get("attached_node") or "").split(".")[-1]: tuple(n["test_metadata"]["kwargs"]["columns"])
                for n in manifest["nodes"].values()
                if (n.get("test_metadata") or {}).get("name") == "unique_combination"}
    declared["fct_cost"] = ("cost_id",)  # a one-column grain: dbt's own `unique` test on cost_id
    checked = 0
    for suite in MART_SUITES:
        model = suite.asset[-1]
        grains = [tuple(r.kwargs.get("column_list") or [r.kwargs["column"]]) for r in suite.rules
                  if r.expectation in ("ExpectCompoundColumnsToBeUnique", "ExpectColumnValuesToBeUnique")]
        if model in declared:
            assert grains == [declared[model]], (model, grains, declared[model])
            checked += 1
        else:
            assert grains == [], f"{model}: a GX grain that dbt does not declare"
    assert checked >= 12


def test_the_data_docs_keep_the_newest_results_of_each_suite(tmp_path: Path) -> None:
    from pipelines.quality.gx_runner import gx_session, rebuild_index

    docs = tmp_path / "quality"
    pages = []
    for n in range(4):  # four runs of the suite; the third and fourth leave the index to a later build
        with gx_session(docs, keep_results=2, build_index=n < 2) as session:
            pages.append(session.validate(_spot_frame([1.0] * (n + 1)), prices.SPOT).docs_page)
    store = docs / "gx" / "uncommitted" / "validations" / prices.SPOT.name
    kept = sorted(p.parent.name for p in store.glob("*/*/*.json"))
    assert kept == sorted(p.parent.name for p in pages[2:])  # the two newest results, their pages with them
    assert [p.is_file() for p in pages] == [False, False, True, True]
    index = docs / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert pages[3].parent.name not in index.read_text()  # not yet listed: that session built no index
    assert rebuild_index(docs) == index
    listed = index.read_text()
    assert pages[2].parent.name in listed and pages[3].parent.name in listed
    assert pages[0].parent.name not in listed and pages[1].parent.name not in listed


def test_fct_costs_suite_takes_every_providers_latest_month_a_missing_provider_included() -> None:
    """The rows the fct_cost suite validates: each provider's latest billing month, whatever the other providers'
    (a provider whose export stopped is still checked), and rows without a provider as a provider of their own (the
    suite's not-null rule must see them)."""
    from pipelines.quality.suites import fct_cost

    conn = duckdb.connect()
    conn.execute("create schema marts")
    conn.execute("create table marts.fct_cost (cost_id varchar, provider_name varchar, billing_period_start date, "
                 "tags map(varchar, varchar))")
    conn.execute("""insert into marts.fct_cost values
        ('a1', 'AWS', '2026-09-01', null), ('a2', 'AWS', '2026-10-01', null), ('a3', 'AWS', '2026-10-01', null),
        ('g1', 'Google Cloud', '2026-08-01', null), ('g2', 'Google Cloud', '2026-09-01', null),
        ('n1', null, '2026-07-01', null), ('n2', null, '2026-10-01', null), ('x1', 'AWS', null, null)""")
    selected = conn.execute(fct_cost.SUITE.sql).df()
    assert sorted(selected["cost_id"]) == ["a2", "a3", "g2", "n2"]
    assert "tags" not in selected.columns
