"""Raw billing assets: AWS Data Exports (CUR 2.0) billing periods, replaced atomically per delivery."""


from pathlib import Path

import dagster as dg

from collectors.aws.cur import fetch_delivery
from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.lib.metadata import load_metadata
from pipelines.partitions import billing_month, billing_period
from pipelines.resources_impl import AwsCurSourceResource, WarehouseResource
from warehouse.loaders.aws_cur import load_cur_delivery

AWS_CUR_KEY = dg.AssetKey(["raw", "aws_cur_line_items"])


def cur_checks(rows_read: int, rows_loaded: int, rows_quarantined: int, manifest_rows: int | None,
               duplicate_keys: int) -> list[dg.AssetCheckResult]:
    """Load-time facts of one CUR delivery, returned with the materialization."""
    return [
        *load_check_results(rows_read, rows_loaded, rows_quarantined, manifest_rows),
        dg.AssetCheckResult(
            check_name="no_duplicate_line_items", passed=duplicate_keys == 0,
            metadata={"duplicate_keys_in_raw": duplicate_keys},
        ),
    ]


@dg.asset(
    key=AWS_CUR_KEY,
    freshness_policy=freshness.BILLING,
    group_name="billing",
    kinds={"s3", "duckdb", "parquet"},
    owners=["team:data-platform"],
    partitions_def=billing_month,
    pool="duckdb",
    retry_policy=dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL),
    check_specs=[
        *load_check_specs(AWS_CUR_KEY),
        dg.AssetCheckSpec("no_duplicate_line_items", asset=AWS_CUR_KEY, blocking=True,
                          description="identity_line_item_id + identity_time_interval unique in the period"),
    ],
    description=(
        "AWS Data Exports (CUR 2.0) line items, one billing period per partition. The newest manifest of the "
        "period names the files; its delivery replaces the period in one transaction. Duplicate line items and "
        "unreadable rows go to quarantine.aws_cur_line_items with the reason."
    ),
)
def aws_cur_line_items(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, aws_cur: AwsCurSourceResource
) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        period = billing_period(context.partition_key)
        store = aws_cur.store()
        delivery = aws_cur.deliveries(store).get(period)
        if delivery is None:
            context.log.warning(f"no CUR delivery for billing period {period} under {aws_cur.location}; nothing loaded")
            return dg.MaterializeResult(
                metadata={"billing_period": period, "delivery": "none found", "dagster/row_count": 0},
                check_results=cur_checks(0, 0, 0, None, 0),
            )
        files = fetch_delivery(store, delivery, Path(aws_cur.landing_dir))
        with warehouse.writer() as conn:
            result = load_cur_delivery(
                conn, billing_period=period, delivery_id=delivery.execution_id, files=files,
                display_paths=[store.uri(k) for k in delivery.data_keys],
            )
            duplicates = conn.execute(
                "select count(*) from (select 1 from raw.aws_cur_line_items where _billing_period = ? "
                "group by identity_line_item_id, identity_time_interval having count(*) > 1)", [period]
            ).fetchone()[0]
            total_rows = conn.execute("select count(*) from raw.aws_cur_line_items").fetchone()[0]
        if result.notes.get("schema_drift_new_columns"):
            context.log.warning(f"CUR {period}: new columns kept in _extra_columns: {result.notes['schema_drift_new_columns']}")
        context.log.info(
            f"CUR {period}: delivery {delivery.execution_id} read {result.rows_read} rows, loaded {result.rows_loaded}, "
            f"quarantined {result.rows_quarantined}, replaced {result.rows_replaced}"
        )
        return dg.MaterializeResult(
            metadata={**load_metadata(result), "manifest": store.uri(delivery.manifest_key),
                      "delivered_at": delivery.delivered_at, "table_rows_all_periods": total_rows},
            check_results=cur_checks(result.rows_read, result.rows_loaded, result.rows_quarantined,
                                     delivery.row_count, duplicates),
        )


@dg.definitions
def billing_assets() -> dg.Definitions:
    return dg.Definitions(assets=[aws_cur_line_items])
