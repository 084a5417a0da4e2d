"""Raw billing assets for legacy Cost and Usage Reports and FOCUS exports, one billing period per partition.

Both are manifest-driven (or, for FOCUS ``period_folders``, folder-driven) and replace their period atomically.
A source that is not configured (or has no delivery for the month) loads nothing and says so; its checks then yield no
result, so the UI shows them skipped instead of a green pass over no rows, and a source missing from the
configuration says "not configured" in its description.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg

from collectors.aws.cur import fetch_delivery
from pipelines.config import load_config
from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.lib.metadata import load_metadata
from pipelines.partitions import billing_month, billing_period
from pipelines.resources_impl import AwsCurLegacySourceResource, FocusSourceResource, WarehouseResource
from warehouse.loaders.aws_cur_legacy import load_legacy_cur_delivery
from warehouse.loaders.focus import load_focus_delivery

LEGACY_KEY = dg.AssetKey(["raw", "aws_cur_legacy_line_items"])
FOCUS_KEY = dg.AssetKey(["raw", "focus_cost_rows"])


def _nothing(context: dg.AssetExecutionContext, key: dg.AssetKey, why: str) -> dg.MaterializeResult:
    context.log.info(f"{why} (its checks are skipped)")
    return dg.MaterializeResult(asset_key=key, metadata={"note": why, "dagster/row_count": 0})


def _spec(key: dg.AssetKey, kinds: set[str], description: str, configured: bool, setting: str) -> dg.AssetSpec:
    if not configured:
        description += f" Not configured here: add `{setting}` to the configuration to load it."
    return dg.AssetSpec(key, freshness_policy=freshness.BILLING, group_name="billing", kinds=kinds,
                        owners=["team:data-platform"], partitions_def=billing_month, description=description,
                        metadata={"infraledger/configured": configured})


def _configured() -> tuple[bool, bool]:
    """Whether the configuration names a legacy CUR report and a FOCUS export (read when the definitions load)."""
    sources = load_config().sources
    return sources.aws_cur_legacy is not None, sources.focus is not None


def unconfigured_keys() -> set[dg.AssetKey]:
    """The billing assets whose source the configuration does not name: their checks gate nothing."""
    legacy, focus = _configured()
    return {key for key, on in ((LEGACY_KEY, legacy), (FOCUS_KEY, focus)) if not on}


def _optional_export_asset(key: dg.AssetKey, kinds: set[str], description: str, configured: bool, setting: str,
                           load: Callable[..., dg.MaterializeResult]) -> dg.AssetsDefinition:
    """A billing export that may not be configured: a multi-asset whose checks are optional (no result when nothing
    was delivered) and gate nothing when the configuration does not name the source. ``setting`` is the source's
    configuration key and resource name; ``load(context, warehouse, source)`` loads the partition."""
    resource_key = setting.split(".")[-1]

    @dg.multi_asset(
        name=key.path[-1], can_subset=True, pool="duckdb", required_resource_keys={"warehouse", resource_key},
        retry_policy=dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL),
        specs=[_spec(key, kinds, description, configured, setting)],
        check_specs=load_check_specs(key, blocking=configured),
    )
    def _asset(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
        yield load(context, context.resources.warehouse, getattr(context.resources, resource_key))

    return _asset


def legacy_cur_asset(configured: bool) -> dg.AssetsDefinition:
    return _optional_export_asset(LEGACY_KEY, {"s3", "duckdb", "csv"}, (
        "Legacy AWS Cost and Usage Report line items (CSV.gz or Parquet) mapped to CUR 2.0 columns. The period-level "
        "<report>-Manifest.json names the current assembly and its reportKeys; that assembly replaces the period."),
        configured, "sources.aws_cur_legacy", aws_cur_legacy_line_items)


def aws_cur_legacy_line_items(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                              aws_cur_legacy: AwsCurLegacySourceResource) -> dg.MaterializeResult:
    """Load the partition's legacy CUR assembly (the asset's body)."""
    with fail_fast_on_bad_input():
        if not aws_cur_legacy.enabled:
            return _nothing(context, LEGACY_KEY, "sources.aws_cur_legacy is not configured; nothing to load")
        period = billing_period(context.partition_key)
        store = aws_cur_legacy.store()
        delivery = aws_cur_legacy.deliveries(store).get(period)
        if delivery is None:
            return _nothing(context, LEGACY_KEY, f"no legacy CUR assembly for {period} under {aws_cur_legacy.location}")
        files = fetch_delivery(store, delivery, Path(aws_cur_legacy.landing_dir))
        with warehouse.writer() as conn:
            result = load_legacy_cur_delivery(conn, billing_period=period, delivery_id=delivery.execution_id,
                                              files=files, display_paths=[store.uri(k) for k in delivery.data_keys])
        if result.notes.get("schema_drift_new_columns"):
            context.log.warning(f"legacy CUR {period}: columns without a CUR 2.0 name kept in _extra_columns: "
                                f"{result.notes['schema_drift_new_columns']}")
        context.log.info(f"legacy CUR {period}: assembly {delivery.execution_id} read {result.rows_read}, loaded "
                         f"{result.rows_loaded}, quarantined {result.rows_quarantined}")
        return dg.MaterializeResult(
            asset_key=LEGACY_KEY, metadata={**load_metadata(result), "manifest": store.uri(delivery.manifest_key)},
            check_results=load_check_results(result.rows_read, result.rows_loaded, result.rows_quarantined, None,
                                             asset_key=LEGACY_KEY),
        )


def focus_asset(configured: bool) -> dg.AssetsDefinition:
    return _optional_export_asset(FOCUS_KEY, {"s3", "duckdb"}, (
        "FOCUS 1.0-1.2 cost and usage rows of one export (AWS, Azure, OCI or GCP flavour). What had to be coerced "
        "to read real files (NULL tokens, timestamps without T/Z, enum spellings) is recorded per row and reported."),
        configured, "sources.focus", focus_cost_rows)


def focus_cost_rows(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                    focus: FocusSourceResource) -> dg.MaterializeResult:
    """Load the partition's FOCUS delivery (the asset's body)."""
    with fail_fast_on_bad_input():
        if not focus.enabled:
            return _nothing(context, FOCUS_KEY, "sources.focus is not configured; nothing to load")
        period = billing_period(context.partition_key)
        store = focus.store()
        delivery = focus.deliveries(store).get(period)
        if delivery is None:
            return _nothing(context, FOCUS_KEY, f"no FOCUS delivery of {focus.export_name} for {period} under {focus.location}")
        files = fetch_delivery(store, delivery, Path(focus.landing_dir))
        with warehouse.writer() as conn:
            result = load_focus_delivery(conn, export_name=focus.export_name, billing_period=period,
                                         delivery_id=delivery.execution_id, files=files,
                                         display_paths=[store.uri(k) for k in delivery.data_keys],
                                         assume_currency=focus.assume_currency)
        coerced = result.notes.get("coercions") or {}
        if coerced:
            context.log.warning(f"FOCUS {period}: values coerced to read the files: {coerced}")
        return dg.MaterializeResult(
            asset_key=FOCUS_KEY, metadata={**load_metadata(result), "manifest": store.uri(delivery.manifest_key)},
            check_results=load_check_results(result.rows_read, result.rows_loaded, result.rows_quarantined,
                                             delivery.row_count, asset_key=FOCUS_KEY),
        )


@dg.definitions
def legacy_and_focus_assets() -> dg.Definitions:
    legacy, focus = _configured()
    return dg.Definitions(assets=[legacy_cur_asset(legacy), focus_asset(focus)])
