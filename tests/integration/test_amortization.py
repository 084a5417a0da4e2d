"""Billed vs effective (amortized) cost of every AWS line item type, through the loader and a real dbt build.

Each line below states what AWS's amortized view says it costs; the test sums those statements independently
and compares them with marts.fct_cost row by row and in total.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from collectors.samples.aws_cur import SCHEMA, _line
from tests.dbt_build import dbt_build
from warehouse.loaders.aws_cur import load_cur_delivery
from warehouse.schema import apply_ddl

pytestmark = [pytest.mark.integration, pytest.mark.slow]
T = datetime(2026, 10, 5, 10)
RI_ARN = "arn:aws:ec2:us-east-1:111122223333:reserved-instances/abcd-1234"
SP_ARN = "arn:aws:savingsplans::111122223333:savingsplan/sp-1"

# (line item type, unblended cost, extra CUR columns, expected effective cost)
CASES: list[tuple[str, float, dict[str, object], str]] = [
    ("Usage", 10.0, {}, "10"),
    ("SavingsPlanCoveredUsage", 12.29, {"savings_plan_savings_plan_effective_cost": 7.87,
                                        "savings_plan_savings_plan_a_r_n": SP_ARN}, "7.87"),
    ("SavingsPlanNegation", -12.29, {"savings_plan_savings_plan_a_r_n": SP_ARN}, "0"),
    ("SavingsPlanRecurringFee", 10.0, {"savings_plan_total_commitment_to_date": 10.0,
                                       "savings_plan_used_commitment": 7.87,
                                       "savings_plan_savings_plan_a_r_n": SP_ARN}, "2.13"),
    ("SavingsPlanUpfrontFee", 8760.0, {"savings_plan_savings_plan_a_r_n": SP_ARN}, "0"),
    ("DiscountedUsage", 0.0, {"reservation_effective_cost": 3.0, "reservation_reservation_a_r_n": RI_ARN,
                              "pricing_public_on_demand_cost": 5.0}, "3"),
    ("RIFee", 2.0, {"reservation_amortized_upfront_fee_for_billing_period": 1.0,
                    "reservation_unused_amortized_upfront_fee_for_billing_period": 0.5,
                    "reservation_unused_recurring_fee": 0.25, "reservation_reservation_a_r_n": RI_ARN}, "0.75"),
    ("Fee", 100.0, {"reservation_reservation_a_r_n": RI_ARN}, "0"),
    ("Fee", 29.0, {}, "29"),
    ("EdpDiscount", -1.5, {}, "-1.5"),
    ("PrivateRateDiscount", -0.5, {}, "-0.5"),
    ("Credit", -5.0, {}, "-5"),
    ("Refund", -2.0, {}, "-2"),
    ("Tax", 1.2, {}, "1.2"),
    # spot hours: one with the bill's public on-demand cost, one without it (a visible gap in the savings mart)
    ("Usage", 0.9, {"pricing_term": "Spot", "pricing_public_on_demand_cost": 2.269}, "0.9"),
    ("Usage", 0.8, {"pricing_term": "Spot", "pricing_public_on_demand_cost": None}, "0.8"),
]
SPOT_CASES = [c for c in CASES if c[2].get("pricing_term") == "Spot"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("amortization")
    rows = []
    for i, (kind, cost, extra, _) in enumerate(CASES):
        row = _line(T, 1, account="ml-prod", product_code="AmazonEC2", usage_type=f"case-{i}", operation="Op",
                    line_type=kind, cost=cost, usage=1.0, unit="Hrs", description=f"case {i}", resource_id=f"r-{i}",
                    instance_type="g5.12xlarge" if extra.get("pricing_term") == "Spot" else None,
                    az="us-east-1b", extra={"identity_line_item_id": f"case-{i}", **extra})
        rows.append(row)
    return _build(tmp, rows, ("reservation_effective_cost", "reservation_amortized_upfront_fee_for_billing_period",
                              "reservation_unused_amortized_upfront_fee_for_billing_period",
                              "reservation_unused_recurring_fee"))


def _build(tmp: Path, rows: list[dict[str, object]], money_columns: tuple[str, ...]) -> Path:
    """Write the lines as one CUR 2.0 Parquet file (``money_columns`` the sample schema lacks added as typed
    columns), load it as a delivery and run the real dbt build."""
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    for col in money_columns:
        if col not in SCHEMA.names:
            table = table.append_column(col, pa.array([r.get(col) for r in rows], pa.float64()))
    data = tmp / "lines.parquet"
    pq.write_table(table, data)
    wh = tmp / "warehouse.duckdb"
    conn = duckdb.connect(str(wh))
    apply_ddl(conn)
    load_cur_delivery(conn, billing_period="2026-10", delivery_id="cases", files=[data])
    conn.close()
    dbt_build(wh)
    return wh


def test_each_line_type_has_the_documented_effective_cost(built: Path) -> None:
    conn = duckdb.connect(str(built), read_only=True)
    try:
        got = dict(conn.execute("select x_usage_type, effective_cost from marts.fct_cost").fetchall())
        billed = dict(conn.execute("select x_usage_type, billed_cost from marts.fct_cost").fetchall())
    finally:
        conn.close()
    for i, (kind, cost, _, effective) in enumerate(CASES):
        assert got[f"case-{i}"] == Decimal(effective), kind
        assert billed[f"case-{i}"] == Decimal(repr(cost)), kind


def test_views_differ_only_by_the_upfront_purchases(built: Path) -> None:
    conn = duckdb.connect(str(built), read_only=True)
    try:
        billed, effective = conn.execute("select sum(billed_cost), sum(effective_cost) from marts.fct_cost").fetchone()
    finally:
        conn.close()
    assert billed == sum(Decimal(repr(c)) for _, c, _, _ in CASES)
    assert effective == sum(Decimal(e) for *_, e in CASES)
    # The views differ by the upfront purchases (billed now, amortized over the term) less the RI's amortized
    # upfront share already inside this month's DiscountedUsage + RIFee (3 + 0.75 effective vs 0 + 2 billed).
    # The Savings Plan nets out: 12.29 - 12.29 + 10 billed = 7.87 + 0 + 2.13 effective.
    assert billed - effective == Decimal("8760") + Decimal("100") - Decimal("1.75")


def test_spot_savings_use_the_bills_on_demand_cost_and_show_the_gap(built: Path) -> None:
    conn = duckdb.connect(str(built), read_only=True)
    try:
        row = conn.execute("select spot_hours, price_paid, on_demand_cost, savings, hours_without_on_demand_price "
                           "from marts.fct_spot_savings_daily").fetchall()
    finally:
        conn.close()
    assert row == [(Decimal("2"), Decimal("1.7"), Decimal("2.269"), Decimal("2.269") - Decimal("0.9"), Decimal("1"))]


def test_commitments_follow_their_fee_line_items(built: Path) -> None:
    """What AWS's line items say of each commitment's hour: a Savings Plan fee line states its commitment and the part
    used; an RIFee line its recurring fee (the cost), the amortized upfront fee and the unused part of both; the
    covered usage costs on demand what the covered line (SP) or its public on-demand cost (RI) says."""
    def extra(kind: str) -> dict[str, object]:
        return next(e for k, _, e, _ in CASES if k == kind)

    sp_fee, ri_fee = extra("SavingsPlanRecurringFee"), extra("RIFee")
    sp_commitment = Decimal(repr(sp_fee["savings_plan_total_commitment_to_date"]))
    sp_used = Decimal(repr(sp_fee["savings_plan_used_commitment"]))
    sp_covered = Decimal(repr(next(c for k, c, _, _ in CASES if k == "SavingsPlanCoveredUsage")))
    ri_commitment = Decimal(repr(next(c for k, c, _, _ in CASES if k == "RIFee"))) + Decimal(
        repr(ri_fee["reservation_amortized_upfront_fee_for_billing_period"]))
    ri_unused = Decimal(repr(ri_fee["reservation_unused_amortized_upfront_fee_for_billing_period"])) + Decimal(
        repr(ri_fee["reservation_unused_recurring_fee"]))
    ri_covered = Decimal(repr(extra("DiscountedUsage")["pricing_public_on_demand_cost"]))
    conn = duckdb.connect(str(built), read_only=True)
    try:
        rows = {r[0]: r[1:] for r in conn.execute(
            "select commitment_id, commitment_type, cast(charge_date as varchar), commitment_hours, commitment_cost, "
            "used_commitment, unused_commitment, utilization, covered_on_demand_cost, net_savings "
            "from marts.fct_commitment_daily").fetchall()}
    finally:
        conn.close()
    assert rows[SP_ARN] == ("savings_plan", "2026-10-05", 1, sp_commitment, sp_used, sp_commitment - sp_used,
                            pytest.approx(float(sp_used / sp_commitment)), sp_covered, sp_covered - sp_commitment)
    ri_used = ri_commitment - ri_unused
    assert rows[RI_ARN] == ("reservation", "2026-10-05", 1, ri_commitment, ri_used, ri_unused,
                            pytest.approx(float(ri_used / ri_commitment)), ri_covered, ri_covered - ri_commitment)
    assert set(rows) == {SP_ARN, RI_ARN}


# With a negotiated discount (EDP 7 %) AWS states each line's discounted cost in the net columns:
# (line item type, unblended cost, extra CUR columns, expected net billed, expected net effective)
NET_CASES: list[tuple[str, float, dict[str, object], str, str]] = [
    ("Usage", 10.0, {"line_item_net_unblended_cost": 9.3}, "9.3", "9.3"),
    ("SavingsPlanCoveredUsage", 12.29, {"line_item_net_unblended_cost": 11.4297,
                                        "savings_plan_savings_plan_effective_cost": 7.87,
                                        "savings_plan_net_savings_plan_effective_cost": 7.3191,
                                        "savings_plan_savings_plan_a_r_n": SP_ARN}, "11.4297", "7.3191"),
    ("SavingsPlanNegation", -12.29, {"line_item_net_unblended_cost": -11.4297,
                                     "savings_plan_savings_plan_a_r_n": SP_ARN}, "-11.4297", "0"),
    # the unused commitment (10 - 7.87), discounted like the fee line itself (9.3 / 10)
    ("SavingsPlanRecurringFee", 10.0, {"line_item_net_unblended_cost": 9.3,
                                       "savings_plan_total_commitment_to_date": 10.0,
                                       "savings_plan_used_commitment": 7.87,
                                       "savings_plan_savings_plan_a_r_n": SP_ARN}, "9.3", "1.9809"),
    ("DiscountedUsage", 0.0, {"line_item_net_unblended_cost": 0.0, "reservation_effective_cost": 3.0,
                              "reservation_net_effective_cost": 2.79, "reservation_reservation_a_r_n": RI_ARN},
     "0", "2.79"),
    ("RIFee", 2.0, {"line_item_net_unblended_cost": 1.86,
                    "reservation_unused_amortized_upfront_fee_for_billing_period": 0.5,
                    "reservation_net_unused_amortized_upfront_fee_for_billing_period": 0.465,
                    "reservation_unused_recurring_fee": 0.25, "reservation_net_unused_recurring_fee": 0.2325,
                    "reservation_reservation_a_r_n": RI_ARN}, "1.86", "0.6975"),
    # the discount line: every line above already carries its share, so it is 0 in the net view
    ("EdpDiscount", -0.7, {"line_item_net_unblended_cost": 0.0}, "0", "0"),
    ("Credit", -5.0, {"line_item_net_unblended_cost": -5.0}, "-5", "-5"),
    # a line without net columns (no discount applies to it): its unblended cost
    ("Usage", 4.0, {"line_item_net_unblended_cost": None}, "4", "4"),
]
_NET_COLUMNS = ("savings_plan_net_savings_plan_effective_cost", "reservation_effective_cost",
                "reservation_net_effective_cost", "reservation_unused_amortized_upfront_fee_for_billing_period",
                "reservation_net_unused_amortized_upfront_fee_for_billing_period", "reservation_unused_recurring_fee",
                "reservation_net_unused_recurring_fee")


@pytest.fixture(scope="module")
def net_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("net")
    rows = [_line(T, 1, account="ml-prod", product_code="AmazonEC2", usage_type=f"net-{i}", operation="Op",
                  line_type=kind, cost=cost, usage=1.0, unit="Hrs", description=f"net case {i}", resource_id=f"r-{i}",
                  az="us-east-1b", extra={"identity_line_item_id": f"net-{i}", **extra})
            for i, (kind, cost, extra, _, _) in enumerate(NET_CASES)]
    return _build(tmp, rows, _NET_COLUMNS)


def test_net_cost_carries_each_lines_own_discount_and_counts_the_discount_lines_once(net_built: Path) -> None:
    conn = duckdb.connect(str(net_built), read_only=True)
    try:
        got = {u: (b, e) for u, b, e in conn.execute(
            "select x_usage_type, net_billed_cost, net_effective_cost from marts.fct_cost").fetchall()}
        totals = conn.execute("select sum(billed_cost), sum(net_billed_cost) from marts.fct_cost").fetchone()
    finally:
        conn.close()
    for i, (kind, _, _, net_billed, net_effective) in enumerate(NET_CASES):
        assert got[f"net-{i}"] == (Decimal(net_billed), Decimal(net_effective)), kind
    # gross (unblended, discount line included) and net differ only by what the lines' net columns already took off
    assert totals[0] - totals[1] == sum(Decimal(repr(c)) - Decimal(nb) for _, c, _, nb, _ in NET_CASES)
