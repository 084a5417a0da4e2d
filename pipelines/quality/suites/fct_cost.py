"""Suite for marts.fct_cost, the normalized (FOCUS-aligned) cost rows: the latest billing month per provider."""

from __future__ import annotations

from pipelines.quality.grain import model_grain
from pipelines.quality.rules import Suite, in_set, not_null, regex, unique
from pipelines.quality.suites.focus import CHARGE_CATEGORIES, CHARGE_FREQUENCIES, PRICING_CATEGORIES

KEYS = ("cost_id", "provider_name", "billing_period_start", "charge_period_start", "charge_category",
        "billed_cost", "effective_cost", "billing_currency")

SUITE = Suite(
    name="fct_cost", asset=("marts", "fct_cost"), blocking=True,
    scope="the latest billing month of every provider",
    rules=(
        *not_null(*KEYS),
        unique(*model_grain("fct_cost"), why="one row per cost line (the grain dbt declares)"),
        in_set("charge_category", CHARGE_CATEGORIES, why="FOCUS ChargeCategory values"),
        in_set("pricing_category", PRICING_CATEGORIES, why="FOCUS PricingCategory values"),
        in_set("charge_frequency", CHARGE_FREQUENCIES, why="FOCUS ChargeFrequency values"),
        regex("billing_currency", r"^[A-Z]{3}$", why="ISO 4217 code"),
        *not_null("tag_service", why="every row has a service or 'untagged'"),
        *not_null("region_id", severity="warn", mostly=0.5, why="region views need it"),
    ),
)
