"""Publish the warehouse's read snapshot after every successful run that materialized assets (runs launched by
schedules and sensors in the daemon; the CLI publishes after its own runs). See warehouse/snapshot.py."""

import dagster as dg

from pipelines.resources_impl import WarehouseResource
from warehouse.connection import WarehouseLockedError
from warehouse.snapshot import publish

# a sensor evaluation must finish within Dagster's 60 s timeout: wait this long for a busy warehouse, then skip
# (the next successful run publishes)
SENSOR_LOCK_WAIT_S = 20.0


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After a successful run that materialized assets, copy the warehouse to <name>.read.duckdb, which "
                "`infraledger sql` reads while the next run writes.",
)
def publish_read_snapshot(context: dg.RunStatusSensorContext, warehouse: WarehouseResource) -> dg.SkipReason | None:
    run = context.dagster_run
    if not warehouse.settings.read_snapshot:
        return dg.SkipReason("warehouse.read_snapshot is off")
    if not run.asset_selection and not run.asset_check_selection:
        return dg.SkipReason(f"run {run.run_id} materialized no assets (e.g. a scrape into the landing area)")
    try:
        path = publish(warehouse.path, wait_s=min(warehouse.settings.lock_wait_s, SENSOR_LOCK_WAIT_S))
    except WarehouseLockedError:
        return dg.SkipReason("another run is writing; the next successful run publishes the snapshot")
    context.log.info(f"published {path} after run {run.run_id}")
    return None


@dg.definitions
def read_snapshot_defs() -> dg.Definitions:
    return dg.Definitions(sensors=[publish_read_snapshot])
