"""Real public billing files (../shared/data) through the loaders and a real ``dbt build``; totals checked in Python.

One warehouse holds the FOCUS 1.0 sample, the FOCUS 1.2 commitment-discount examples, the legacy CUR S3 delivery
and the GCP export rows; every mart figure below is compared with a sum computed here from the files themselves.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from collectors.aws.cur_legacy import legacy_deliveries
from collectors.storage import LocalStore
from tests.dbt_build import dbt_build
from warehouse.loaders.aws_cur_legacy import load_legacy_cur_delivery
from warehouse.loaders.focus import load_focus_delivery
from warehouse.loaders.gcp_billing import load_gcp_export_files
from warehouse.reconciliation import reconcile
from warehouse.schema import apply_ddl

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CENT = Decimal("0.01")
COMMITMENT_EXAMPLES = "focus/spec-v1.2-examples/commitment_discount_scenarios"
FLEX_EXAMPLES = "focus/spec-v1.2-examples/commitment_discount_flexibility"


def _d(text: str | None) -> Decimal:
    return Decimal(text) if text not in (None, "", "NULL", "null") else Decimal(0)


def _focus_sample_expected(path: Path) -> dict[tuple[str, str], Decimal]:
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    with open(path, newline="") as fh:
        for r in csv.DictReader(fh):
            if r["BillingPeriodStart"].startswith("2024-09"):
                out[(r["ProviderName"], r["BillingCurrency"])] += _d(r["BilledCost"])
    return dict(out)


@pytest.fixture(scope="module")
def conformance_wh(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    wh = tmp_path_factory.mktemp("conformance") / "warehouse.duckdb"
    conn = duckdb.connect(str(wh))
    apply_ddl(conn)
    load_focus_delivery(conn, export_name="focus-sample", billing_period="2024-09", delivery_id="sample",
                        files=[shared_data / "focus/FOCUS-1.0/focus_sample.csv"])
    for folder in (COMMITMENT_EXAMPLES, FLEX_EXAMPLES):
        for f in sorted((shared_data / folder).glob("*.csv")):
            load_focus_delivery(conn, export_name=f.stem, billing_period="2023-01", delivery_id="spec-v1.2",
                                files=[f], assume_currency="USD")
    store = LocalStore(shared_data / "aws_cur/legacy_cur_delivery")
    delivery = legacy_deliveries(store, "my-prefix", "my-report")["2018-08"]
    load_legacy_cur_delivery(conn, billing_period="2018-08", delivery_id=delivery.execution_id,
                             files=[store.fetch(k, wh.parent) for k in delivery.data_keys])
    load_gcp_export_files(conn, table_name="koku", files=sorted((shared_data / "gcp_billing/koku_fixtures").glob("*.csv")))
    conn.close()
    dbt_build(wh, {"allocation_tag_keys": ["service", "team", "environment"]})
    return wh


def _q(wh: Path, sql: str, params: list | None = None) -> list[tuple]:
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


def test_focus_1_0_sample_totals_and_coercions(conformance_wh: Path, shared_data: Path) -> None:
    expected = _focus_sample_expected(shared_data / "focus/FOCUS-1.0/focus_sample.csv")
    got = {(p, c): v for p, c, v in _q(conformance_wh, "select provider_name, billing_currency, sum(billed_cost) "
                                                       "from marts.fct_cost where x_export_format = 'focus:focus-sample' "
                                                       "group by all")}
    # money is DECIMAL(38, 10); the file has up to 11 decimals, so each row rounds by at most 5e-11
    assert got.keys() == expected.keys()
    assert all(abs(got[k] - expected[k]) <= Decimal("1000") * Decimal("5e-11") for k in expected)
    assert {k: v.quantize(CENT) for k, v in got.items()} == {k: v.quantize(CENT) for k, v in expected.items()}
    # the one row of another billing period is quarantined with the reason, not dropped
    reasons = _q(conformance_wh, "select reason from quarantine.focus_cost_rows where partition_key = 'focus-sample/2024-09'")
    assert reasons == [("billing period 2024-10 is not the delivery's billing period 2024-09",)]
    message = json.loads(_q(conformance_wh, "select message from audit.loads where partition_key = 'focus-sample/2024-09'")[0][0])
    assert message["coercions"]["charge_frequency: Usage-based read as Usage-Based"] == 6
    assert message["coercions"]["charge_period_start: timestamp not in ISO 8601 UTC form, read as UTC"] == 999
    assert _q(conformance_wh, "select count(*) from marts.fct_cost where x_export_format = 'focus:focus-sample' "
                              "and charge_frequency = 'Usage-based'") == [(0,)]


def test_configured_tag_keys_become_columns_and_untagged_is_explicit(conformance_wh: Path, shared_data: Path) -> None:
    counts: dict[str, int] = defaultdict(int)
    with open(shared_data / "focus/FOCUS-1.0/focus_sample.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["BillingPeriodStart"].startswith("2024-09"):
                tags = json.loads(r["Tags"]) if r["Tags"] not in ("", "NULL") else {}
                counts[tags.get("environment") or "untagged"] += 1
    got = dict(_q(conformance_wh, "select tag_environment, count(*) from marts.fct_cost "
                                  "where x_export_format = 'focus:focus-sample' group by 1"))
    assert got == dict(counts)
    assert "untagged" in got
    daily = _q(conformance_wh, "select count(*) from information_schema.columns where table_schema = 'marts' "
                               "and table_name = 'fct_cost_daily' and column_name = 'tag_environment'")
    assert daily == [(1,)]


@pytest.mark.parametrize("folder", [COMMITMENT_EXAMPLES, FLEX_EXAMPLES])
def test_focus_1_2_commitment_examples_keep_the_spec_effective_cost(conformance_wh: Path, shared_data: Path,
                                                                    folder: str) -> None:
    for f in sorted((shared_data / folder).glob("*.csv")):
        with open(f, newline="") as fh:
            rows = list(csv.DictReader(fh))
        want = (sum((_d(r["BilledCost"]) for r in rows), Decimal(0)), sum((_d(r["EffectiveCost"]) for r in rows), Decimal(0)))
        got = _q(conformance_wh, "select sum(billed_cost), sum(effective_cost), count(*) from marts.fct_cost "
                                 "where x_export_format = ?", [f"focus:{f.stem}"])[0]
        assert (got[0], got[1], got[2]) == (*want, len(rows)), f.name
        # a commitment purchase is billed, but its effective cost is carried by the usage it covers: never twice
        purchases = _q(conformance_wh, "select coalesce(sum(effective_cost), 0) from marts.fct_cost "
                                       "where x_export_format = ? and charge_category = 'Purchase'", [f"focus:{f.stem}"])
        assert purchases == [(sum((_d(r["EffectiveCost"]) for r in rows if r["ChargeCategory"] == "Purchase"), Decimal(0)),)]


def test_legacy_cur_delivery_totals(conformance_wh: Path, shared_data: Path) -> None:
    data = next((shared_data / "aws_cur/legacy_cur_delivery").rglob("*.csv.gz"))
    total = Decimal(0)
    rows = 0
    inter_region: dict[str, Decimal] = defaultdict(Decimal)
    with gzip.open(data, "rt", newline="") as fh:
        for r in csv.DictReader(fh):
            rows += 1
            total += _d(r["lineItem/UnblendedCost"])
            if r["product/transferType"].startswith("InterRegion"):
                inter_region[r["product/transferType"]] += _d(r["lineItem/UnblendedCost"])
    got = _q(conformance_wh, "select count(*), sum(billed_cost) from marts.fct_cost where x_export_format = 'legacy_cur'")[0]
    assert got[0] == rows == 6190
    assert abs(got[1] - total) < Decimal("1e-9")
    by_product = _q(conformance_wh, "select product['transferType'], sum(cast(line_item_unblended_cost as decimal(38, 10))) "
                                    "from raw.aws_cur_legacy_line_items where product['transferType'] like 'InterRegion%' "
                                    "group by 1")
    assert {k: v.quantize(CENT) for k, v in by_product} == {k: v.quantize(CENT) for k, v in inter_region.items()}


def test_gcp_export_rows_net_of_credits(conformance_wh: Path, shared_data: Path) -> None:
    import ast

    expected: dict[str, Decimal] = defaultdict(Decimal)
    for f in sorted((shared_data / "gcp_billing/koku_fixtures").glob("*.csv")):
        with open(f, newline="") as fh:
            for r in csv.DictReader(fh):
                credits = ast.literal_eval(r["credits"]) if r.get("credits") else []
                net = _d(r["cost"]) + sum((Decimal(repr(c["amount"])) for c in credits), Decimal(0))
                expected[r["invoice.month"]] += net
    got = dict(_q(conformance_wh, "select strftime(billing_period_start, '%Y%m'), sum(billed_cost) from marts.fct_cost "
                                  "where provider_name = 'Google Cloud' group by 1"))
    assert {k: v.quantize(Decimal("1e-9")) for k, v in got.items()} == {k: v.quantize(Decimal("1e-9")) for k, v in expected.items()}
    assert any(v != 0 for v in expected.values())


def _file_totals(shared_data: Path) -> dict[str, Decimal]:
    """What each source's files add up to, read here from the files (billed cost of every row, before any dedupe or
    quarantine): FOCUS BilledCost, legacy CUR lineItem/UnblendedCost, GCP cost + credits."""
    import ast

    totals: dict[str, Decimal] = defaultdict(Decimal)
    for f in [shared_data / "focus/FOCUS-1.0/focus_sample.csv",
              *sorted((shared_data / COMMITMENT_EXAMPLES).glob("*.csv")),
              *sorted((shared_data / FLEX_EXAMPLES).glob("*.csv"))]:
        with open(f, newline="") as fh:
            totals["focus"] += sum((_d(r["BilledCost"]) for r in csv.DictReader(fh)), Decimal(0))
    data = next((shared_data / "aws_cur/legacy_cur_delivery").rglob("*.csv.gz"))
    with gzip.open(data, "rt", newline="") as fh:
        totals["aws_cur_legacy"] += sum((_d(r["lineItem/UnblendedCost"]) for r in csv.DictReader(fh)), Decimal(0))
    for f in sorted((shared_data / "gcp_billing/koku_fixtures").glob("*.csv")):
        with open(f, newline="") as fh:
            for r in csv.DictReader(fh):
                credits = ast.literal_eval(r["credits"]) if r.get("credits") else []
                totals["gcp_billing"] += _d(r["cost"]) + sum((Decimal(repr(c["amount"])) for c in credits), Decimal(0))
    return dict(totals)


def test_everything_reconciles_to_the_files(conformance_wh: Path, shared_data: Path) -> None:
    """Two links, each checked: the files' totals (computed here) = what the loads recorded reading, and the marts
    plus quarantine = what the loads read (reconcile())."""
    conn = duckdb.connect(str(conformance_wh), read_only=True)
    try:
        compared, diffs = reconcile(conn)
        recorded = dict(conn.execute("select source, sum(file_total) from audit.source_totals group by 1").fetchall())
    finally:
        conn.close()
    expected = _file_totals(shared_data)
    assert recorded.keys() == expected.keys()
    for source, total in expected.items():
        # money is DECIMAL(38, 10) in the warehouse; the FOCUS sample has up to 11 decimals per row
        assert abs(recorded[source] - total) <= Decimal("1e-6"), source
    assert compared >= 5
    assert diffs == []
