"""Standalone checks on raw billing (runnable alone from the UI): the great-expectations suite."""


import dagster as dg

from pipelines.defs.billing.assets import AWS_CUR_KEY
from pipelines.quality.gx_runner import validate
from pipelines.quality.suites import aws_cur as aws_cur_suite
from pipelines.resources_impl import WarehouseResource
from warehouse.reconciliation import reconcile


@dg.asset_check(
    asset=AWS_CUR_KEY,
    name="gx_suite",
    blocking=True,
    description="great-expectations suite aws_cur_line_items on the most recently loaded billing period.",
)
def aws_cur_gx_suite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.writer() as conn:
        latest = conn.execute(
            "select partition_key from audit.loads where source = 'aws_cur' and status = 'success' "
            "order by finished_at desc limit 1"
        ).fetchone()
        if latest is None:
            return dg.AssetCheckResult(passed=True, metadata={"note": "no CUR period loaded yet"})
        frame = conn.execute(
            "select * exclude (cost_category, discount, product, resource_tags) from raw.aws_cur_line_items "
            "where _billing_period = ?", [latest[0]]
        ).df()
    summary = validate(frame, aws_cur_suite.SUITE_NAME, aws_cur_suite.expectations)
    return dg.AssetCheckResult(
        passed=summary.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"billing_period": latest[0], **summary.as_metadata()},
    )




FCT_COST_KEY = dg.AssetKey(["marts", "fct_cost"])


@dg.asset_check(
    asset=FCT_COST_KEY,
    name="reconciles_to_source_files",
    blocking=True,
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
    return dg.Definitions(asset_checks=[aws_cur_gx_suite, fct_cost_reconciles])
