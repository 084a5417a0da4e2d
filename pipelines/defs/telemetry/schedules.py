"""Telemetry schedules: scrape every minute into the landing area (no warehouse lock taken, so it never waits
for or blocks a load), load what landed every 15 minutes, and backfill yesterday's Prometheus history daily."""

import datetime as dt

import dagster as dg

from pipelines.lib.raw_source import raw_key
from pipelines.resources_impl import DcgmExporterResource, ServingSourceResource
from pipelines.sources.contract import SourceUnavailable
from pipelines.sources.scrape_now import scrape_all


@dg.op(description="Scrape every dcgm-exporter and inference-server target into the landing area (files only).")
def scrape_targets(context: dg.OpExecutionContext, dcgm_exporter: DcgmExporterResource,
                   serving: ServingSourceResource) -> dg.Output[None]:
    try:
        scraped, dead = scrape_all(dcgm_exporter, serving, context.log)
    except SourceUnavailable as exc:
        raise dg.Failure(str(exc)) from exc
    return dg.Output(None, metadata={"targets_scraped": scraped, "unreachable": dg.MetadataValue.json(dead)})


@dg.job(description="One scrape of every telemetry target into the landing area; loads happen in load_telemetry.",
        tags={"dagster/max_runtime": "55"})
def scrape_telemetry() -> None:
    scrape_targets()


load_telemetry = dg.define_asset_job("load_telemetry", selection=dg.AssetSelection.assets(
    raw_key("dcgm_samples"), raw_key("serving_samples")), description="Load every landed scrape not loaded yet.")
prometheus_backfill = dg.define_asset_job("prometheus_backfill", selection=dg.AssetSelection.assets(
    raw_key("prometheus_samples"), raw_key("prometheus_series")), description="One day of Prometheus history per "
    "partition (query_range).")

scrape_every_minute = dg.ScheduleDefinition(
    name="scrape_telemetry_every_minute", job=scrape_telemetry, cron_schedule="* * * * *",
    execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Scrape targets every minute (turn on where targets are configured).",
)
load_every_15_minutes = dg.ScheduleDefinition(
    name="load_telemetry_every_15_minutes", job=load_telemetry, cron_schedule="*/15 * * * *",
    execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Load landed scrapes into the warehouse; keeps telemetry within 15 minutes of fresh.",
)


@dg.schedule(name="prometheus_backfill_daily", job=prometheus_backfill, cron_schedule="30 1 * * *",
             execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.STOPPED,
             description="At 01:30 UTC, yesterday's Prometheus history (the day that just closed).")
def prometheus_daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    yesterday = (context.scheduled_execution_time - dt.timedelta(days=1)).strftime("%Y-%m-%d")
    return dg.RunRequest(run_key=yesterday, partition_key=yesterday)


@dg.definitions
def telemetry_schedules() -> dg.Definitions:
    return dg.Definitions(jobs=[scrape_telemetry, load_telemetry, prometheus_backfill],
                          schedules=[scrape_every_minute, load_every_15_minutes, prometheus_daily])
