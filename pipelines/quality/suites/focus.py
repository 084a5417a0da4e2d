"""Suite for raw FOCUS rows: the export billing period of the latest load."""

from __future__ import annotations

from pipelines.quality.rules import Rule, Suite, a_not_before_b, exists, in_set, not_null, regex, timestamps

REQUIRED = ("billed_cost", "billing_currency", "billing_period_start", "charge_period_start", "charge_category")
CHARGE_CATEGORIES = ["Usage", "Purchase", "Tax", "Credit", "Adjustment"]
PRICING_CATEGORIES = ["Standard", "Dynamic", "Committed", "Other"]
CHARGE_FREQUENCIES = ["One-Time", "Recurring", "Usage-Based"]

RULES: tuple[Rule, ...] = (
    *exists(*REQUIRED),
    *not_null(*REQUIRED),
    in_set("charge_category", CHARGE_CATEGORIES, why="FOCUS ChargeCategory values"),
    in_set("pricing_category", PRICING_CATEGORIES, why="FOCUS PricingCategory values (nulls allowed)"),
    in_set("charge_frequency", CHARGE_FREQUENCIES, why="FOCUS ChargeFrequency values"),
    regex("billing_currency", r"^[A-Z]{3}$", why="ISO 4217 code"),
    *timestamps("charge_period_start"),
    a_not_before_b("charge_period_start", "billing_period_start", why="a charge starts inside its billing period"),
    Rule("ExpectColumnPairValuesAToBeGreaterThanB",
         {"column_A": "billing_period_end", "column_B": "charge_period_start", "ignore_row_if": "either_value_is_missing"},
         "error", "purchases may run past the period end, but none starts after it"),
    not_null("service_name", severity="warn", mostly=0.95, why="service views need it")[0],
)

SUITE = Suite(
    name="focus_cost_rows", asset=("raw", "focus_cost_rows"), audit_source="focus", blocking=True,
    scope="the billing period of the latest successful load",
    rules=RULES,
)
