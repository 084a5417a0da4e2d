"""Suites for raw AWS CUR rows (CUR 2.0, and legacy CUR mapped to the same columns): the latest loaded period."""

from __future__ import annotations

from pipelines.quality.rules import Rule, Suite, a_not_before_b, exists, in_set, not_null, regex, timestamps, unique

REQUIRED = ("identity_line_item_id", "identity_time_interval", "line_item_line_item_type",
            "line_item_unblended_cost", "line_item_usage_start_date", "line_item_currency_code")
LINE_ITEM_TYPES = ["Usage", "DiscountedUsage", "SavingsPlanCoveredUsage", "SavingsPlanNegation",
                   "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee", "RIFee", "Fee", "Tax", "Credit", "Refund",
                   "BundledDiscount", "EdpDiscount", "PrivateRateDiscount", "DistributorDiscount"]

RULES: tuple[Rule, ...] = (
    *exists(*REQUIRED),
    *not_null(*REQUIRED),
    *[Rule("ExpectColumnValuesToBeInTypeList", {"column": c, "type_list": ["float64", "Float64"]}, "error",
           "a number, not text") for c in ("line_item_unblended_cost", "line_item_usage_amount")],
    *timestamps("line_item_usage_start_date", "line_item_usage_end_date"),
    unique("identity_line_item_id", "identity_time_interval", why="a line item is counted once"),
    in_set("line_item_line_item_type", LINE_ITEM_TYPES, why="the allocation rules know every type"),
    regex("line_item_currency_code", r"^[A-Z]{3}$", why="ISO 4217 code"),
    a_not_before_b("line_item_usage_start_date", "bill_billing_period_start_date",
                   why="a charge falls inside its billing period"),
    a_not_before_b("bill_billing_period_end_date", "line_item_usage_end_date",
                   why="a charge falls inside its billing period"),
    not_null("line_item_product_code", severity="warn", why="service names come from it")[0],
    not_null("product_region_code", severity="warn", mostly=0.5, why="egress and region views need it")[0],
)

SUITE = Suite(
    name="aws_cur_line_items", asset=("raw", "aws_cur_line_items"), audit_source="aws_cur", blocking=True,
    scope="the billing period of the latest successful load",
    rules=RULES,
)
LEGACY_SUITE = Suite(
    name="aws_cur_legacy_line_items", asset=("raw", "aws_cur_legacy_line_items"), audit_source="aws_cur_legacy",
    blocking=True, scope="the billing period of the latest successful load",
    rules=RULES,
)
