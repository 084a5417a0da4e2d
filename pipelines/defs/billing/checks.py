"""Standalone checks on raw billing (runnable alone from the UI): the great-expectations suite."""


import dagster as dg

from pipelines.defs.billing.assets import AWS_CUR_KEY
from pipelines.quality.gx_runner import validate
from pipelines.quality.suites import aws_cur as aws_cur_suite
from pipelines.resources_impl import WarehouseResource


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


@dg.definitions
def billing_checks() -> dg.Definitions:
    return dg.Definitions(asset_checks=[aws_cur_gx_suite])
