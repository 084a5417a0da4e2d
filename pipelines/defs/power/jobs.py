"""Facility power jobs: walk the Redfish endpoints every minute into the landing area (no warehouse lock), load
what landed every 15 minutes (the raw/power_readings asset)."""

import dagster as dg

from pipelines.lib.raw_source import raw_key
from pipelines.resources_impl import PowerSourceResource
from pipelines.sources.redfish_walks import walk_endpoints


@dg.op(description="Walk every Redfish endpoint once into the landing area (files only, no warehouse lock).")
def poll_redfish(context: dg.OpExecutionContext, power: PowerSourceResource) -> None:
    failed = walk_endpoints(power, context.log)
    if power.source.redfish and len(failed) == len(power.source.redfish):
        raise dg.Failure(f"no Redfish endpoint answered: {failed}")


@dg.job(description="One Redfish walk of every endpoint into the landing area; power_readings loads them.")
def poll_power() -> None:
    poll_redfish()


poll_every_minute = dg.ScheduleDefinition(
    name="poll_power_every_minute", job=poll_power, cron_schedule="* * * * *", execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED, description="Walk the Redfish endpoints every minute.",
)


load_power = dg.define_asset_job("load_power", selection=dg.AssetSelection.assets(raw_key("power_readings")),
                                 description="Load today's power readings (BMS files and the walks landed so far).")


@dg.schedule(name="load_power_every_15_minutes", job=load_power, cron_schedule="*/15 * * * *",
             execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.STOPPED,
             description="Every 15 minutes, today's partition of raw/power_readings (keeps power within 15 min).")
def load_power_every_15_minutes(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(partition_key=context.scheduled_execution_time.strftime("%Y-%m-%d"))


@dg.definitions
def power_assets() -> dg.Definitions:
    return dg.Definitions(jobs=[poll_power, load_power],
                          schedules=[poll_every_minute, load_power_every_15_minutes])
