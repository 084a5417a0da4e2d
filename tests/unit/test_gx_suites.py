"""The great-expectations suites pass on good rows and name the expectation that bad rows break."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.quality.gx_runner import validate
from pipelines.quality.suites import focus as focus_suite
from pipelines.quality.suites import gcp_billing as gcp_suite
from warehouse.loaders.focus import load_focus_delivery
from warehouse.loaders.gcp_billing import load_gcp_export_files
from warehouse.schema import apply_ddl

pytestmark = pytest.mark.unit


def test_focus_suite_on_the_real_sample(shared_data: Path) -> None:
    conn = duckdb.connect()
    apply_ddl(conn)
    load_focus_delivery(conn, export_name="s", billing_period="2024-09", delivery_id="d",
                        files=[shared_data / "focus/FOCUS-1.0/focus_sample.csv"])
    frame = conn.execute("select * exclude (tags, sku_price_details, _coercions, _extra_columns) "
                         "from raw.focus_cost_rows").df()
    assert validate(frame, focus_suite.SUITE_NAME, focus_suite.expectations).success

    frame.loc[0, "charge_category"] = "Bonus"
    frame.loc[1, "charge_period_start"] = frame.loc[1, "billing_period_end"]
    summary = validate(frame, focus_suite.SUITE_NAME, focus_suite.expectations)
    failed = {(o.expectation, o.column) for o in summary.failed}
    assert ("expect_column_values_to_be_in_set", "charge_category") in failed
    assert any(e == "expect_column_pair_values_a_to_be_greater_than_b" for e, _ in failed)


def test_gcp_suite_on_the_sample_export(sample_dir: Path) -> None:
    conn = duckdb.connect()
    apply_ddl(conn)
    load_gcp_export_files(conn, table_name="t", files=sorted((sample_dir / "gcp_billing").rglob("*.ndjson")))
    frame = conn.execute("select * exclude (labels, project_labels, system_labels, credits, adjustment_info) "
                         "from raw.gcp_billing_export").df()
    assert validate(frame, gcp_suite.SUITE_NAME, gcp_suite.expectations).success
    frame.loc[2, "_row_hash"] = frame.loc[3, "_row_hash"]
    summary = validate(frame, gcp_suite.SUITE_NAME, gcp_suite.expectations)
    assert [(o.expectation, o.column) for o in summary.failed] == [("expect_column_values_to_be_unique", "_row_hash")]
