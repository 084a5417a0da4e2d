"""The daily ingestion (default 06:00 UTC, ``schedules.daily_ingestion_cron``): yesterday's partition of the daily
feeds, the billing month that yesterday belongs to, and the unpartitioned sources: three jobs on one cron, one per
partitioning (pipelines/sources/registry.py says which source is which). The marts then refresh through their
automation conditions once their upstream landed (pipelines/lib/dbt_translator.py)."""

import datetime as dt

import dagster as dg

from pipelines.config import current_config
from pipelines.lib.raw_source import raw_key
from pipelines.partitions import month_key
from pipelines.sources.registry import by_partitioning

JOBS = {  # job name: (partitioning, description, the partition key of the day a run is for)
    "daily_ingestion_feeds": ("daily", "Yesterday's partition of the daily feeds (spot prices, Prometheus history, "
                                       "facility power).", dt.date.isoformat),
    "daily_ingestion_billing": ("billing_month", "The billing month yesterday belongs to (CUR 2.0, legacy CUR, FOCUS): "
                                                 "bills grow daily; restatements of other months come through the "
                                                 "delivery sensors.", month_key),
    "daily_ingestion_sources": (None, "The unpartitioned sources: GCP billing export (incremental), SKU prices, host "
                                      "inventory, topology, landed scrapes.", None),
}


def yesterday_of(scheduled: dt.datetime) -> dt.date:
    return (scheduled - dt.timedelta(days=1)).date()


def _daily(name: str, partitioning: str | None, description: str, key_of, cron: str, tz: str) -> dg.ScheduleDefinition:
    job = dg.define_asset_job(name, selection=dg.AssetSelection.assets(*map(raw_key, by_partitioning(partitioning))),
                              description=description)

    @dg.schedule(name=name, job=job, cron_schedule=cron, execution_timezone=tz,
                 default_status=dg.DefaultScheduleStatus.STOPPED, description=f"Daily at {cron} ({tz}): {description}")
    def _schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        day = yesterday_of(context.scheduled_execution_time)
        return dg.RunRequest(run_key=day.isoformat(), partition_key=key_of(day) if key_of else None,
                             tags={"infraledger/ingestion": day.isoformat()})

    return _schedule


@dg.definitions
def daily_defs() -> dg.Definitions:
    cfg = current_config().schedules
    schedules = [_daily(name, *spec, cfg.daily_ingestion_cron, cfg.timezone) for name, spec in JOBS.items()]
    return dg.Definitions(jobs=[s.job for s in schedules], schedules=schedules)
