"""Host inventory: which billed machine each telemetry host is, so telemetry hosts meet their bill lines."""

import dagster as dg

from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, raw_source_asset
from pipelines.sources import inventory

INVENTORY = RawSource(
    table="host_inventory", resource="inventory", group="telemetry", kinds=frozenset({"aws", "csv", "duckdb"}),
    fetch=inventory.fetch, load=inventory.load, freshness=freshness.DAILY,
    description=(
        "Which billed machine each telemetry host is: EC2 instances (id, type, private DNS name = EKS node name, "
        "Name tag, IP), a hosts CSV for on-prem servers and a saved `kubectl get nodes -o json` (GKE, EKS, on-prem "
        "nodes). Upserted, never deleted."
    ),
)
INVENTORY_KEY = INVENTORY.key


@dg.definitions
def inventory_assets() -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(INVENTORY)])
