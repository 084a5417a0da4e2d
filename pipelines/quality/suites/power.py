"""Suites for facility power: readings of the latest load and the topology tables."""

from __future__ import annotations

from pipelines.quality.rules import Suite, between, in_set, not_null, unique

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
