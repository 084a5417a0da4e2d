"""Facility power assets: the topology (from its file) and the daily readings (BMS CSV and Redfish)."""

import datetime as dt
import re
from pathlib import Path

import dagster as dg

from collectors.power.topology import load_topology
from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.defs.power.walks import walk_endpoints, walks_of_day
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.partitions import daily
from pipelines.resources_impl import PowerSourceResource, WarehouseResource
from warehouse.loaders.power import load_bms_days, load_redfish_day, replace_topology

TOPOLOGY_KEY = dg.AssetKey(["raw", "power_topology"])
POWER_KEY = dg.AssetKey(["raw", "power_readings"])


@dg.asset(
    key=TOPOLOGY_KEY, group_name="power", kinds={"yaml", "duckdb"}, owners=["team:data-platform"], pool="duckdb",
    description="Sites, rooms, racks (capacity kW), their PDUs, the GPU hosts in each rack, utility meters and the "
                "tariff, from the topology file (raw.power_racks / power_hosts / power_meters / power_tariffs).",
)
def power_topology(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                   power: PowerSourceResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        topo = load_topology(Path(power.topology))
        with warehouse.writer() as conn:
            counts = replace_topology(conn, topo.racks, topo.hosts, topo.meters, topo.tariffs)
        context.log.info(f"topology {power.topology}: {counts}")
        return dg.MaterializeResult(metadata={**counts, "file": power.topology})


@dg.asset(
    key=POWER_KEY, freshness_policy=freshness.POWER, group_name="power", kinds={"redfish", "csv", "duckdb"}, owners=["team:data-platform"],
    partitions_def=daily, backfill_policy=dg.BackfillPolicy.single_run(), pool="duckdb",
    deps=[TOPOLOGY_KEY],
    check_specs=[*load_check_specs(POWER_KEY),
                 dg.AssetCheckSpec("redfish_consistent", asset=POWER_KEY,
                                   description="no dangling links or readings that disagree with their sensor")],
    description=(
        "Facility power readings per day: the meter/BMS CSV (kW or kWh, mapped columns and units) and Redfish "
        "walks (PDU mains, circuits, outlets, chassis). Empty or NaN readings are NULL, repeated readings load "
        "once; each (source, day) is replaced as a whole."
    ),
)
def power_readings(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                   power: PowerSourceResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        window = context.partition_time_window
        start = window.start.astimezone(dt.timezone.utc)
        days = [f"{start + dt.timedelta(days=n):%Y-%m-%d}" for n in range((window.end - window.start).days)]
        landing, location = Path(power.landing_dir), Path(power.location)
        today = f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d}" in days
        unreachable = walk_endpoints(power, context.log) if today else {}
        csv_files = sorted(location.glob(power.csv_glob)) if location.is_dir() else []
        totals = {"read": 0, "loaded": 0, "quarantined": 0, "skipped": 0, "missing": 0}
        problems: dict[str, int] = {}
        # a file named for a day holds that day; any other file (monthly export, rolling log) may hold any day
        files_by_day = {day: [f for f in csv_files if day in f.name or not re.search(r"\d{4}-\d{2}-\d{2}", f.name)]
                        for day in days}
        files_by_day = {day: files for day, files in files_by_day.items() if files}
        if files_by_day:
            with warehouse.writer() as conn:   # each file is read once for every day it serves
                bms = load_bms_days(conn, files_by_day=files_by_day, mapping=power.mapping())
        else:
            bms = {}
        for day in days:
            walks = walks_of_day(day, landing, location)
            results = [bms[day]] if day in bms else []
            if walks:
                with warehouse.writer() as conn:
                    results.append(load_redfish_day(conn, day=day, walks=walks))
            for r in results:
                totals["read"] += r.rows_read
                totals["loaded"] += r.rows_loaded
                totals["quarantined"] += r.rows_quarantined
                totals["skipped"] += r.rows_read - r.rows_loaded - r.rows_quarantined
                totals["missing"] += int(r.notes.get("missing_readings", 0))
            for w in walks:
                for p in w.problems:
                    problems[p["problem"]] = problems.get(p["problem"], 0) + 1
        context.log.info(f"power {days[0]}..{days[-1]}: {totals}; Redfish problems {problems}")
        return dg.MaterializeResult(
            metadata={"rows_read": totals["read"], "rows_loaded": totals["loaded"],
                      "rows_quarantined": totals["quarantined"], "rows_repeated_or_other_day": totals["skipped"],
                      "missing_readings": totals["missing"], "redfish_problems": dg.MetadataValue.json(problems),
                      "unreachable_endpoints": dg.MetadataValue.json(unreachable),
                      "dagster/row_count": totals["loaded"]},
            check_results=[*load_check_results(totals["read"], totals["loaded"], totals["quarantined"], None,
                                               totals["skipped"]),
                           dg.AssetCheckResult(check_name="redfish_consistent", passed=not problems and not unreachable,
                                               severity=dg.AssetCheckSeverity.WARN,
                                               metadata={"problems": dg.MetadataValue.json(problems),
                                                         "unreachable": dg.MetadataValue.json(unreachable)})],
        )


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
    return dg.Definitions(assets=[power_topology, power_readings], jobs=[poll_power, load_power],
                          schedules=[poll_every_minute, load_power_every_15_minutes])
