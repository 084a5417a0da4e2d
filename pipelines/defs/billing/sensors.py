"""Sensors that start a billing-period load when a new delivery (manifest) appears: CUR 2.0, legacy CUR, FOCUS.

The cursor keeps, per billing period, the delivery already requested; the run key is the delivery itself, so a
delivery is loaded once even if the cursor were lost. A restatement (a newer delivery of the same month) is a new
delivery and starts a new load of that month.
"""

import json

import dagster as dg

from pipelines.config import current_config
from pipelines.lib.raw_source import raw_key
from pipelines.partitions import billing_month, month_key
from pipelines.sources.registry import RAW_SOURCES

SENSORS = {"aws_cur_new_delivery": "aws_cur_line_items", "aws_cur_legacy_new_delivery": "aws_cur_legacy_line_items",
           "focus_new_delivery": "focus_cost_rows"}   # sensor: raw table (its source's settings name the resource)


def new_deliveries(cursor: str | None, deliveries: dict[str, str]) -> tuple[list[str], str]:
    """Billing periods whose newest delivery id differs from the cursor's, and the cursor after requesting them."""
    seen: dict[str, str] = json.loads(cursor) if cursor else {}
    fresh = [p for p, delivery in sorted(deliveries.items()) if seen.get(p) != delivery]
    return fresh, json.dumps({**seen, **deliveries}, sort_keys=True)


def delivery_sensor(name: str, key: dg.AssetKey, resource_key: str, interval_s: int) -> dg.SensorDefinition:
    @dg.sensor(name=name, target=[key], minimum_interval_seconds=interval_s,
               default_status=dg.DefaultSensorStatus.STOPPED, required_resource_keys={resource_key},
               description=f"Loads a billing period of {key.to_user_string()} when a new delivery of it appears "
                           "(new month or restatement); turn on where the export is configured.")
    def _sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        source = getattr(context.resources, resource_key)
        if not getattr(source, "enabled", True):
            return dg.SkipReason(f"sources.{resource_key} is not configured")
        found = {period: d.execution_id for period, d in source.deliveries(source.store()).items()}
        valid = set(billing_month().get_partition_keys())
        fresh, cursor = new_deliveries(context.cursor, found)
        requests = [dg.RunRequest(run_key=f"{name}:{period}:{found[period]}", partition_key=month_key(period))
                    for period in fresh if month_key(period) in valid]
        ignored = [p for p in fresh if month_key(p) not in valid]
        if ignored:
            context.log.info(f"deliveries before billing_start_month ignored: {ignored}")
        if not requests:
            return dg.SkipReason(f"no new delivery among {len(found)} billing periods")
        context.log.info(f"new deliveries: {[r.partition_key for r in requests]}")
        return dg.SensorResult(run_requests=requests, cursor=cursor)

    return _sensor


@dg.definitions
def billing_sensors() -> dg.Definitions:
    interval = current_config().schedules.manifest_sensor_interval_s
    settings = {s.table: s.settings for s in RAW_SOURCES}
    return dg.Definitions(sensors=[delivery_sensor(name, raw_key(table), settings[table], interval)
                                   for name, table in SENSORS.items()])
