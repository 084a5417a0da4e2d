"""Suite for the rows of the latest GCP billing export load."""

from __future__ import annotations

from pipelines.quality.rules import Suite, a_not_before_b, between, exists, not_null, regex, unique

REQUIRED = ("cost", "currency", "usage_start_time", "export_time", "invoice_month", "_row_hash")

SUITE = Suite(
    name="gcp_billing_export", asset=("raw", "gcp_billing_export"), audit_source="gcp_billing", blocking=True,
    scope="the rows of the latest successful load",
    rules=(
        *exists(*REQUIRED),
        *not_null(*REQUIRED),
        unique("_row_hash", why="an exported row is counted once across overlapping reads"),
        regex("invoice_month", r"^\d{6}$", why="the invoice month as YYYYMM"),
        regex("currency", r"^[A-Z]{3}$", why="ISO 4217 code"),
        a_not_before_b("usage_end_time", "usage_start_time", why="usage ends after it starts"),
        between("cost", -1_000_000, 1_000_000, severity="warn", why="a single row above $1M is likely a unit error"),
    ),
)
