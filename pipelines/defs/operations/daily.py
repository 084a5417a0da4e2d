"""The daily ingestion (default 06:00 UTC, ``schedules.daily_ingestion_cron``): yesterday's partition of the daily
feeds, the billing month that yesterday belongs to, and the unpartitioned sources (incremental GCP export, SKU
prices, inventory, topology, landed scrapes): three schedules on one cron, one per partitioning. The marts then
refresh through their automation conditions once their upstream landed (pipelines/lib/dbt_translator.py)."""

import datetime as dt

import dagster as dg

from pipelines.config import load_config
from pipelines.defs.billing.assets import AWS_CUR_KEY
from pipelines.defs.billing.gcp import GCP_KEY
from pipelines.defs.billing.legacy_and_focus import FOCUS_KEY, LEGACY_KEY
from pipelines.defs.power.assets import POWER_KEY, TOPOLOGY_KEY
from pipelines.defs.prices.gcp_catalog import SKU_PRICES_KEY
from pipelines.defs.prices.spot import SPOT_KEY
from pipelines.defs.telemetry.dcgm import DCGM_KEY
from pipelines.defs.telemetry.inventory import INVENTORY_KEY
from pipelines.defs.telemetry.prometheus import PROMETHEUS_KEY
from pipelines.defs.telemetry.serving import SERVING_KEY
from pipelines.partitions import month_key

DAILY = [SPOT_KEY, PROMETHEUS_KEY, POWER_KEY]
MONTHLY = [AWS_CUR_KEY, LEGACY_KEY, FOCUS_KEY]
UNPARTITIONED = [GCP_KEY, SKU_PRICES_KEY, INVENTORY_KEY, TOPOLOGY_KEY, DCGM_KEY, SERVING_KEY]

_cfg = load_config().schedules
_WHEN = f"{_cfg.daily_ingestion_cron} ({_cfg.timezone})"

# A job runs assets of one partitioning, so the daily ingestion is three jobs on one cron, one per partitioning.
feeds_job = dg.define_asset_job("daily_ingestion_feeds", selection=dg.AssetSelection.assets(*DAILY),
                                description="Yesterday's partition of the daily feeds (spot prices, Prometheus "
                                            "history, facility power).")
billing_job = dg.define_asset_job("daily_ingestion_billing", selection=dg.AssetSelection.assets(*MONTHLY),
                                  description="The billing month yesterday belongs to (CUR 2.0, legacy CUR, FOCUS); "
                                              "restatements of other months come through the delivery sensors.")
sources_job = dg.define_asset_job("daily_ingestion_sources", selection=dg.AssetSelection.assets(*UNPARTITIONED),
                                  description="The unpartitioned sources: GCP billing export (incremental), SKU "
                                              "prices, host inventory, topology, landed scrapes.")


def yesterday_of(scheduled: dt.datetime) -> dt.date:
    return (scheduled - dt.timedelta(days=1)).date()


@dg.schedule(name="daily_ingestion_feeds", job=feeds_job, cron_schedule=_cfg.daily_ingestion_cron,
             execution_timezone=_cfg.timezone, default_status=dg.DefaultScheduleStatus.STOPPED,
             description=f"Daily at {_WHEN}: yesterday's partition of the daily feeds.")
def daily_feeds(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = yesterday_of(context.scheduled_execution_time).isoformat()
    return dg.RunRequest(run_key=day, partition_key=day, tags={"infraledger/ingestion": day})


@dg.schedule(name="daily_ingestion_billing", job=billing_job, cron_schedule=_cfg.daily_ingestion_cron,
             execution_timezone=_cfg.timezone, default_status=dg.DefaultScheduleStatus.STOPPED,
             description=f"Daily at {_WHEN}: the billing month yesterday belongs to, re-read (bills grow daily).")
def daily_billing(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = yesterday_of(context.scheduled_execution_time)
    return dg.RunRequest(run_key=day.isoformat(), partition_key=month_key(day),
                         tags={"infraledger/ingestion": day.isoformat()})


@dg.schedule(name="daily_ingestion_sources", job=sources_job, cron_schedule=_cfg.daily_ingestion_cron,
             execution_timezone=_cfg.timezone, default_status=dg.DefaultScheduleStatus.STOPPED,
             description=f"Daily at {_WHEN}: the unpartitioned sources.")
def daily_sources(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = yesterday_of(context.scheduled_execution_time).isoformat()
    return dg.RunRequest(run_key=day, tags={"infraledger/ingestion": day})


@dg.definitions
def daily_defs() -> dg.Definitions:
    return dg.Definitions(jobs=[feeds_job, billing_job, sources_job],
                          schedules=[daily_feeds, daily_billing, daily_sources])
