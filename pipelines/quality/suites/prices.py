"""Suites for price feeds: EC2 spot price history and GCP SKU prices (rows of the latest load)."""

from __future__ import annotations

from pipelines.quality.rules import Suite, between, not_null, regex, unique

SPOT = Suite(
    name="aws_spot_prices", asset=("raw", "aws_spot_prices"), audit_source="aws_spot_prices", blocking=True,
    scope="the rows of the latest successful load",
    rules=(
        *not_null("region", "availability_zone", "instance_type", "product_description", "spot_price",
                  "price_timestamp"),
        unique("availability_zone", "instance_type", "product_description", "price_timestamp",
               why="one price change per market and instant"),
        between("spot_price", 0, None, why="a price is never negative"),
        between("spot_price", None, 500, severity="warn", why="above $500/h for one instance is likely bad data"),
    ),
)

GCP_SKU = Suite(
    name="gcp_sku_prices", asset=("raw", "gcp_sku_prices"), audit_source="gcp_sku_prices", blocking=True,
    scope="the rows of the latest successful load",
    rules=(
        *not_null("sku_id", "description", "currency", "unit_price", "usage_unit", "effective_time"),
        regex("currency", r"^[A-Z]{3}$", why="ISO 4217 code"),
        between("unit_price", 0, None, why="a price is never negative"),
        between("tier_start_usage", 0, None, severity="warn", why="tiers start at zero or above"),
        *not_null("region", severity="warn", mostly=0.5, why="regional prices join on it"),
    ),
)
