"""Run assets in-process for the CLI (one process, so DuckDB's single writer is never contended)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipelines.config import InfraledgerConfig
from pipelines.partitions import days_of_month

_POOL_AND_SETTINGS = """\
# Written by infraledger: every DuckDB-writing step shares the 'duckdb' pool, one at a time.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
nux:
  enabled: false  # no "join the Dagster community" pop-up over the UI
"""
DAGSTER_YAML = _POOL_AND_SETTINGS + """\
# Dagster's SQLite event log in its usual folder, keeping connections between events (pipelines/lib/sqlite_event_log.py:
# a run's ~1,400 events took ~9 ms each). A shared deployment uses Postgres instead (docs/production.md).
event_log_storage:
  module: pipelines.lib.sqlite_event_log
  class: ReusingSqliteEventLogStorage
  config:
    dagster_home:
      env: DAGSTER_HOME
"""
# what earlier releases wrote: replaced by the current file (a dagster.yaml edited by hand is left as it is)
_WRITTEN_BEFORE = (_POOL_AND_SETTINGS,)


def prepare_dagster_home(cfg: InfraledgerConfig) -> Path:
    """Create the persistent DAGSTER_HOME (run history, schedules, sensors survive restarts) and export it. Its
    dagster.yaml is written when missing, and rewritten where it is one an earlier release wrote unchanged."""
    home = cfg.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    dagster_yaml = home / "dagster.yaml"
    if not dagster_yaml.exists() or dagster_yaml.read_text() in _WRITTEN_BEFORE:
        dagster_yaml.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@dataclass(frozen=True)
class RunSummary:
    partition: str | None
    success: bool
    checks_failed: list[str]
    checks_run: list[str] = field(default_factory=list)
    checks_warned: list[str] = field(default_factory=list)  # failed with severity WARN: reported, nothing stopped
    # what each failed check found, "<asset>:<check>: <rule>: <n> rows fail; e.g. <row>", one line per failing rule
    failure_details: list[str] = field(default_factory=list)


RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def _days_of_month(month_key: str, daily: dg.PartitionsDefinition) -> tuple[str, str] | None:
    """First and last existing daily partition of the billing month ``month_key`` ('2026-10-01')."""
    keys = days_of_month(month_key, daily.get_partition_keys())
    return (keys[0], keys[-1]) if keys else None


def verbose() -> bool:
    """Whether runs print Dagster's event log and dbt's own output (`infraledger --verbose`)."""
    return os.environ.get("INFRALEDGER_VERBOSE", "").lower() in ("1", "true", "yes")


def run_assets(job: dg.JobDefinition, instance: dg.DagsterInstance, keys: list[dg.AssetKey], *,
         partition: str | None = None, tags: dict[str, str] | None = None) -> dg.ExecuteInProcessResult:
    # quiet by default: warnings and errors only (the run's full event log is kept in the instance either way)
    loggers = {"console": {"config": {"log_level": "DEBUG" if verbose() else "WARNING"}}}
    return job.execute_in_process(partition_key=partition, instance=instance, asset_selection=keys,
                                  tags=tags, raise_on_error=False, run_config={"loggers": loggers})


def materialize(
    defs: dg.Definitions,
    *,
    selection: str | None,
    partitions: list[str | None],
    instance: dg.DagsterInstance,
    progress: Callable[[str], None] | None = None,
) -> list[RunSummary]:
    """Materialize ``selection`` (Dagster selection syntax; None = everything) once per billing month.

    Daily-partitioned assets (price feeds) run first, as one run over the month's days (their backfill policy
    is a single run); then the monthly-partitioned and unpartitioned assets run for the month.
    """
    job = defs.resolve_implicit_global_asset_job_def()
    graph = defs.resolve_asset_graph()
    selected = (dg.AssetSelection.from_string(selection).resolve(graph) if selection
                else {k for k in graph.materializable_asset_keys})
    daily_defs = {k: graph.get(k).partitions_def for k in selected
                  if isinstance(graph.get(k).partitions_def, dg.DailyPartitionsDefinition)}
    daily = sorted(daily_defs)
    rest = sorted(set(selected) - set(daily))
    out = []
    for n, partition in enumerate(partitions, start=1):
        label = f"{selection or 'all assets'}" + (f" for partition {partition}" if partition else "")
        if progress:
            progress(f"[{n}/{len(partitions)}] materializing {label}")
        results = []
        days = _days_of_month(partition, next(iter(daily_defs.values()))) if daily and partition else None
        if days:
            results.append(run_assets(job, instance, daily, tags={RANGE_START: days[0], RANGE_END: days[1]}))
        if rest:
            # a run of unpartitioned assets only cannot take a partition key
            partitioned = any(graph.get(k).partitions_def is not None for k in rest)
            results.append(run_assets(job, instance, rest, partition=partition if partitioned else None))
        out.append(summarize(partition, results))
    return out


def summarize(partition: str | None, results: list[dg.ExecuteInProcessResult]) -> RunSummary:
    """Success, and the checks that ran, failed (severity ERROR) and warned, over some runs."""
    evaluations = [e for r in results for e in r.get_asset_check_evaluations()]
    failed = [f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations
              if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR]
    warned = [f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations
              if not e.passed and e.severity == dg.AssetCheckSeverity.WARN]
    ran = sorted({f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations})
    details = [f"{e.asset_key.to_user_string()}:{e.check_name}: {line}" for e in evaluations
               if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR for line in _failure_lines(e)]
    return RunSummary(partition=partition, success=all(r.success for r in results), checks_failed=failed,
                      checks_run=ran, checks_warned=warned, failure_details=details)


def _failure_lines(evaluation: dg.AssetCheckEvaluation) -> list[str]:
    """The failing rules a check reported in its metadata ('errors'), or its description."""
    errors = evaluation.metadata.get("errors")
    value = getattr(errors, "value", errors)
    if isinstance(value, list) and value:
        return [str(v) for v in value]
    return [evaluation.description] if evaluation.description else []
