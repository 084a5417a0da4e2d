"""Suites for facility power: readings of the latest load and the four topology tables."""

from __future__ import annotations

from pipelines.quality.rules import Suite, between, in_set, not_null, regex, unique

POWER_READINGS = Suite(
    name="power_readings", asset=("raw", "power_readings"), audit_source=None, blocking=True,
    scope="the latest day loaded, every source",
    rules=(
        *not_null("reading_time", "source", "device", "kind", "metric", "value"),
        in_set("source", ["bms", "redfish"], why="the two readers"),
        in_set("kind", ["meter", "mains", "branch", "outlet", "pdu_total", "chassis", "psu", "environment", "metric_report"],
               why="the kinds the power staging model reads"),
        unique("reading_time", "source", "device", "circuit", "kind", "metric", why="one reading per point and instant"),
        between("value", 0, None, severity="warn", why="negative power usually means a reversed current clamp"),
    ),
)

POWER_TOPOLOGY = Suite(
    name="power_topology", asset=("raw", "power_racks"), blocking=True,
    scope="the racks of the topology file",
    rules=(
        *not_null("site", "rack"),
        unique("site", "rack", "pdu", why="a PDU feeds a rack once"),
    ),
)

POWER_HOSTS = Suite(
    name="power_hosts", asset=("raw", "power_hosts"), blocking=True, scope="the hosts of the topology file",
    rules=(
        *not_null("host", "rack"),
        unique("host", why="a host sits in one rack"),
    ),
)

ONPREM_ASSETS = Suite(
    name="onprem_assets", asset=("raw", "onprem_assets"), blocking=True, scope="the on-prem hardware register",
    rules=(
        *not_null("asset", "kind", "currency", "purchase_cost", "residual_value", "support_per_month",
                  "space_per_month"),
        unique("kind", "asset", why="an asset is registered once"),
        in_set("kind", ["host", "rack"], why="the kinds of asset the register knows"),
        between("purchase_cost", 0, None, why="a price is never negative"),
        between("depreciation_months", 1, None, why="a purchase depreciates over at least a month"),
        regex("currency", r"^[A-Z]{3}$", why="ISO 4217 code"),
    ),
)

POWER_METERS = Suite(
    name="power_meters", asset=("raw", "power_meters"), blocking=True, scope="the meters of the topology file",
    rules=(
        *not_null("site", "meter"),
        unique("site", "meter", why="a meter is listed once per site"),
    ),
)

POWER_TARIFFS = Suite(
    name="power_tariffs", asset=("raw", "power_tariffs"), blocking=True, scope="the tariff bands of the topology file",
    rules=(
        *not_null("site", "currency", "from_minute", "to_minute", "per_kwh"),
        unique("site", "from_minute", why="one band starts at a minute of the day"),
        between("from_minute", 0, 1439, why="a minute of the day"),
        between("to_minute", 0, 1440, why="a minute of the day (exclusive end)"),
        between("per_kwh", 0, None, why="an energy price is never negative"),
        regex("currency", r"^[A-Z]{3}$", why="ISO 4217 code"),
    ),
)
