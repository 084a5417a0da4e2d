"""great-expectations suite ``gcp_billing_export`` for the rows of the latest GCP export load."""

from __future__ import annotations

SUITE_NAME = "gcp_billing_export"
REQUIRED = ("cost", "currency", "usage_start_time", "export_time", "invoice_month", "_row_hash")


def expectations() -> list:
    import great_expectations as gx

    e = gx.expectations
    out: list = [e.ExpectColumnToExist(column=c) for c in REQUIRED]
    out += [e.ExpectColumnValuesToNotBeNull(column=c) for c in REQUIRED]
    out += [
        e.ExpectColumnValuesToBeUnique(column="_row_hash"),
        e.ExpectColumnValuesToMatchRegex(column="invoice_month", regex=r"^\d{6}$"),
        e.ExpectColumnValuesToMatchRegex(column="currency", regex=r"^[A-Z]{3}$"),
        e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="usage_end_time", column_B="usage_start_time",
                                                  or_equal=True, ignore_row_if="either_value_is_missing"),
    ]
    return out
