"""great-expectations suite ``aws_cur_line_items`` for one billing period of raw CUR rows (CUR 2.0, and legacy CUR
mapped to the same columns)."""

from __future__ import annotations

SUITE_NAME = "aws_cur_line_items"
REQUIRED = ("identity_line_item_id", "identity_time_interval", "line_item_line_item_type",
            "line_item_unblended_cost", "line_item_usage_start_date", "line_item_currency_code")
LINE_ITEM_TYPES = ["Usage", "DiscountedUsage", "SavingsPlanCoveredUsage", "SavingsPlanNegation",
                   "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee", "RIFee", "Fee", "Tax", "Credit", "Refund",
                   "BundledDiscount", "EdpDiscount", "PrivateRateDiscount", "DistributorDiscount"]


def expectations() -> list:
    import great_expectations as gx

    e = gx.expectations
    out: list = [e.ExpectColumnToExist(column=c) for c in REQUIRED]
    out += [e.ExpectColumnValuesToNotBeNull(column=c) for c in REQUIRED]
    out += [e.ExpectColumnValuesToBeInTypeList(column=c, type_list=["float64", "Float64"])
            for c in ("line_item_unblended_cost", "line_item_usage_amount")]
    out += [e.ExpectColumnValuesToBeInTypeList(column=c, type_list=["datetime64[ns]", "datetime64[us]", "datetime64[ms]"])
            for c in ("line_item_usage_start_date", "line_item_usage_end_date")]
    out += [
        e.ExpectCompoundColumnsToBeUnique(column_list=["identity_line_item_id", "identity_time_interval"]),
        e.ExpectColumnValuesToBeInSet(column="line_item_line_item_type", value_set=LINE_ITEM_TYPES),
        e.ExpectColumnValuesToMatchRegex(column="line_item_currency_code", regex=r"^[A-Z]{3}$"),
        # a charge must fall inside its billing period
        e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="line_item_usage_start_date",
                                                  column_B="bill_billing_period_start_date", or_equal=True),
        e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="bill_billing_period_end_date",
                                                  column_B="line_item_usage_end_date", or_equal=True),
    ]
    return out
