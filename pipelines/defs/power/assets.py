"""Facility power assets: the topology (from its file) and the daily readings (BMS CSV and Redfish), and the jobs
that walk Redfish every minute and load what landed every 15 minutes."""

import dagster as dg

from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, SourceCheck, raw_source_asset
from pipelines.partitions import daily
from pipelines.resources_impl import PowerSourceResource
from pipelines.sources import power
from pipelines.sources.redfish_walks import walk_endpoints

TOPOLOGY = RawSource(
    table="power_topology", resource="power", group="power", kinds=frozenset({"yaml", "duckdb"}), retries=0,
    fetch=power.fetch_topology, load=power.load_topology_file,
    description="Sites, rooms, racks (capacity kW), their PDUs, the GPU hosts in each rack, utility meters and the "
                "tariff, from the topology file (raw.power_racks / power_hosts / power_meters / power_tariffs).",
)
TOPOLOGY_KEY = TOPOLOGY.key
READINGS = RawSource(
    table="power_readings", resource="power", group="power", kinds=frozenset({"redfish", "csv", "duckdb"}),
    fetch=power.fetch, load=power.load, partitions=daily, single_run_backfill=True, freshness=freshness.POWER,
    retries=0, deps=(TOPOLOGY_KEY,),
    checks=(SourceCheck("redfish_consistent", "no dangling links or readings that disagree with their sensor",
                        blocking=False, warn=True),),
    description=(
        "Facility power readings per day: the meter/BMS CSV (kW or kWh, mapped columns and units) and Redfish "
        "walks (PDU mains, circuits, outlets, chassis). Empty or NaN readings are NULL, repeated readings load "
        "once; each (source, day) is replaced as a whole."
    ),
)
POWER_KEY = READINGS.key


@dg.op(description="Walk every Redfish endpoint once into the landing area (files only, no warehouse lock).")
def poll_redfish(context: dg.OpExecutionContext, power: PowerSourceResource) -> None:
    failed = walk_endpoints(power, context.log)
    if power.redfish_endpoints and len(failed) == len(power.redfish_endpoints):
        raise dg.Failure(f"no Redfish endpoint answered: {failed}")


@dg.job(description="One Redfish walk of every endpoint into the landing area; power_readings loads them.")
def poll_power() -> None:
    poll_redfish()


poll_every_minute = dg.ScheduleDefinition(
    name="poll_power_every_minute", job=poll_power, cron_schedule="* * * * *", execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED, description="Walk the Redfish endpoints every minute.",
)


load_power = dg.define_asset_job("load_power", selection=dg.AssetSelection.assets(POWER_KEY),
                                 description="Load today's power readings (BMS files and the walks landed so far).")


@dg.schedule(name="load_power_every_15_minutes", job=load_power, cron_schedule="*/15 * * * *",
             execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.STOPPED,
             description="Every 15 minutes, today's partition of raw/power_readings (keeps power within 15 min).")
def load_power_every_15_minutes(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(partition_key=context.scheduled_execution_time.strftime("%Y-%m-%d"))


@dg.definitions
def power_assets() -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(TOPOLOGY), raw_source_asset(READINGS)], jobs=[poll_power, load_power],
                          schedules=[poll_every_minute, load_power_every_15_minutes])
