"""Standalone checks on billing data (runnable alone from the UI): great-expectations suites on raw tables and on
the normalized cost fact, and the reconciliation of fct_cost to the delivered files."""

from collections.abc import Callable
from types import ModuleType

import dagster as dg

from pipelines.defs.billing.assets import AWS_CUR_KEY
from pipelines.defs.billing.gcp import GCP_KEY
from pipelines.defs.billing.legacy_and_focus import FOCUS_KEY, LEGACY_KEY
from pipelines.quality.gx_runner import validate
from pipelines.quality.suites import aws_cur as aws_cur_suite
from pipelines.quality.suites import fct_cost as fct_cost_suite
from pipelines.quality.suites import focus as focus_suite
from pipelines.quality.suites import gcp_billing as gcp_suite
from pipelines.resources_impl import WarehouseResource
from warehouse.reconciliation import reconcile

FCT_COST_KEY = dg.AssetKey(["marts", "fct_cost"])
_LATEST_LOAD = ("select partition_key, load_id from audit.loads where source = ? and status = 'success' "
                "order by finished_at desc limit 1")

# (asset, audit source, suite, SQL of the rows to validate given (partition_key, load_id) of the latest load)
_RAW_SUITES: list[tuple[dg.AssetKey, str, ModuleType, str]] = [
    (AWS_CUR_KEY, "aws_cur", aws_cur_suite,
     "select * exclude (cost_category, discount, product, resource_tags) from raw.aws_cur_line_items "
     "where _billing_period = $partition"),
    (LEGACY_KEY, "aws_cur_legacy", aws_cur_suite,
     "select * exclude (cost_category, discount, product, resource_tags) from raw.aws_cur_legacy_line_items "
     "where _billing_period = $partition"),
    (FOCUS_KEY, "focus", focus_suite,
     "select * exclude (tags, sku_price_details, _coercions, _extra_columns) from raw.focus_cost_rows "
     "where _partition = $partition"),
    (GCP_KEY, "gcp_billing", gcp_suite,
     "select * exclude (labels, project_labels, system_labels, credits, adjustment_info) from raw.gcp_billing_export "
     "where _load_id = $load_id"),
]


def _raw_gx_check(key: dg.AssetKey, source: str, suite: ModuleType, sql: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=key, name="gx_suite", blocking=True,
                    description=f"great-expectations suite {suite.SUITE_NAME} on the latest successful load.")
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.writer() as conn:
            latest = conn.execute(_LATEST_LOAD, [source]).fetchone()
            if latest is None:
                return dg.AssetCheckResult(passed=True, metadata={"note": f"no {source} load yet"})
            frame = conn.execute(sql, {k: v for k, v in (("partition", latest[0]), ("load_id", latest[1]))
                                       if f"${k}" in sql}).df()
        if frame.empty:
            return dg.AssetCheckResult(passed=True, metadata={"note": "the latest load added no rows",
                                                              "partition": latest[0]})
        summary = validate(frame, suite.SUITE_NAME, suite.expectations)
        return dg.AssetCheckResult(passed=summary.success, severity=dg.AssetCheckSeverity.ERROR,
                                   metadata={"partition": latest[0], **summary.as_metadata()})

    return _check


@dg.asset_check(asset=FCT_COST_KEY, name="gx_suite", blocking=True,
                description="great-expectations suite fct_cost on the latest billing month of every provider.")
def fct_cost_gx_suite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.writer() as conn:
        frame = conn.execute(
            "select * exclude (tags) from marts.fct_cost qualify billing_period_start = "
            "max(billing_period_start) over (partition by provider_name)"
        ).df()
    if frame.empty:
        return dg.AssetCheckResult(passed=True, metadata={"note": "fct_cost is empty"})
    summary = validate(frame, fct_cost_suite.SUITE_NAME, fct_cost_suite.expectations)
    return dg.AssetCheckResult(passed=summary.success, severity=dg.AssetCheckSeverity.ERROR,
                               metadata=summary.as_metadata())


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


RAW_GX_CHECKS: list[Callable] = [_raw_gx_check(*spec) for spec in _RAW_SUITES]


@dg.definitions
def billing_checks() -> dg.Definitions:
    return dg.Definitions(asset_checks=[*RAW_GX_CHECKS, fct_cost_gx_suite, fct_cost_reconciles])
