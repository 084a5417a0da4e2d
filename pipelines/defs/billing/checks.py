"""The reconciliation of fct_cost to the delivered billing files (a standalone check, runnable alone from the UI).
The great-expectations suites live in ``pipelines.defs.quality``."""

import dagster as dg

from pipelines.resources_impl import WarehouseResource
from warehouse.reconciliation import reconcile

FCT_COST_KEY = dg.AssetKey(["marts", "fct_cost"])


@dg.asset_check(
    asset=FCT_COST_KEY,
    name="reconciles_to_source_files",
    blocking=True,
    pool="duckdb",
    description=(
        "Per provider, billing period and currency, Σ billed_cost in marts.fct_cost equals the total of the rows "
        "read from the delivered files minus the rows quarantined, to the cent."
    ),
)
def fct_cost_reconciles(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.writer() as conn:
        compared, diffs = reconcile(conn)
    return dg.AssetCheckResult(
        passed=not diffs,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"groups_compared": compared, "groups_differing": len(diffs),
                  "differences": dg.MetadataValue.json([d.as_dict() for d in diffs[:50]])},
    )


@dg.definitions
def billing_checks() -> dg.Definitions:
    return dg.Definitions(asset_checks=[fct_cost_reconciles])
