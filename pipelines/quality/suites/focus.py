"""great-expectations suite ``focus_cost_rows`` for one export billing period of raw FOCUS rows."""

from __future__ import annotations

SUITE_NAME = "focus_cost_rows"
REQUIRED = ("billed_cost", "billing_currency", "billing_period_start", "charge_period_start", "charge_category")
CHARGE_CATEGORIES = ["Usage", "Purchase", "Tax", "Credit", "Adjustment"]
PRICING_CATEGORIES = ["Standard", "Dynamic", "Committed", "Other"]
CHARGE_FREQUENCIES = ["One-Time", "Recurring", "Usage-Based"]


def expectations() -> list:
    import great_expectations as gx

    e = gx.expectations
    out: list = [e.ExpectColumnToExist(column=c) for c in REQUIRED]
    out += [e.ExpectColumnValuesToNotBeNull(column=c) for c in REQUIRED]
    out += [
        e.ExpectColumnValuesToBeInSet(column="charge_category", value_set=CHARGE_CATEGORIES),
        e.ExpectColumnValuesToBeInSet(column="pricing_category", value_set=PRICING_CATEGORIES),  # nulls allowed
        e.ExpectColumnValuesToBeInSet(column="charge_frequency", value_set=CHARGE_FREQUENCIES),
        e.ExpectColumnValuesToMatchRegex(column="billing_currency", regex=r"^[A-Z]{3}$"),
        e.ExpectColumnValuesToBeInTypeList(column="charge_period_start",
                                           type_list=["datetime64[ns]", "datetime64[us]", "datetime64[ms]"]),
        # a charge starts inside its billing period (purchases may run past its end)
        e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="charge_period_start", column_B="billing_period_start",
                                                  or_equal=True),
        e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="billing_period_end", column_B="charge_period_start",
                                                  ignore_row_if="either_value_is_missing"),
    ]
    return out
