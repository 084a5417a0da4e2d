"""great-expectations suite ``fct_cost`` on the normalized (FOCUS-aligned) cost rows of the latest billing month."""

from __future__ import annotations

from pipelines.quality.suites.focus import CHARGE_CATEGORIES, CHARGE_FREQUENCIES, PRICING_CATEGORIES

SUITE_NAME = "fct_cost"
KEYS = ("cost_id", "provider_name", "billing_period_start", "charge_period_start", "charge_category",
        "billed_cost", "effective_cost", "billing_currency")


def expectations() -> list:
    import great_expectations as gx

    e = gx.expectations
    out: list = [e.ExpectColumnValuesToNotBeNull(column=c) for c in KEYS]
    out += [
        e.ExpectColumnValuesToBeUnique(column="cost_id"),
        e.ExpectColumnValuesToBeInSet(column="charge_category", value_set=CHARGE_CATEGORIES),
        e.ExpectColumnValuesToBeInSet(column="pricing_category", value_set=PRICING_CATEGORIES),
        e.ExpectColumnValuesToBeInSet(column="charge_frequency", value_set=CHARGE_FREQUENCIES),
        e.ExpectColumnValuesToNotBeNull(column="tag_service"),
    ]
    return out
