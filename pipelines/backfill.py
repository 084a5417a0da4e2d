"""Backfill a date range in-process: the daily partitions of each month in range (one run per month: the daily
assets' backfill policy is a single run), each billing month touched, then the unpartitioned assets (incremental
sources and every dbt model) once, then the monthly assets downstream of the marts (reports). Re-running a range
replaces its partitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import dagster as dg

from pipelines.partitions import month_key
from pipelines.runner import RANGE_END, RANGE_START, RunSummary, run_assets, summarize


@dataclass(frozen=True)
class Step:
    label: str
    keys: list[dg.AssetKey]
    partition: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def _months(start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
    """(first, last) day of each calendar month overlapping [start, end], clipped to it."""
    m = start.replace(day=1)
    while m <= end:
        nxt = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        yield max(m, start), min(nxt - dt.timedelta(days=1), end)
        m = nxt


def check_range(start: dt.date, end: dt.date) -> None:
    """Refuse a range that ends before it starts (ValueError, in the CLI's words)."""
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")


def plan(defs: dg.Definitions, start: dt.date, end: dt.date, selection: str | None = None) -> list[Step]:
    """The runs that backfill [start, end] for ``selection`` (Dagster selection syntax; None = everything)."""
    check_range(start, end)
    graph = defs.resolve_asset_graph()
    selected = (dg.AssetSelection.from_string(selection).resolve(graph) if selection
                else set(graph.materializable_asset_keys))
    kind = {k: type(graph.get(k).partitions_def) for k in selected}
    daily = sorted(k for k in selected if kind[k] is dg.DailyPartitionsDefinition)
    monthly = sorted(k for k in selected if kind[k] is dg.MonthlyPartitionsDefinition)
    rest = sorted(k for k in selected if graph.get(k).partitions_def is None)
    downstream_of_rest = dg.AssetSelection.assets(*rest).downstream().resolve(graph) if rest else set()
    early = [k for k in monthly if k not in downstream_of_rest]
    late = [k for k in monthly if k in downstream_of_rest]
    daily_keys = set(graph.get(daily[0]).partitions_def.get_partition_keys()) if daily else set()
    monthly_keys = set(graph.get(monthly[0]).partitions_def.get_partition_keys()) if monthly else set()
    steps: list[Step] = []
    months = list(_months(start, end))
    for first, last in months:
        days = [d for d in (first.isoformat(), last.isoformat()) if d in daily_keys]
        if daily and len(days) == 2:
            steps.append(Step(f"daily feeds {first}..{last}", daily,
                              tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat()}))
        month = month_key(first)
        if early and month in monthly_keys:
            steps.append(Step(f"billing month {first:%Y-%m}", early, partition=month))
    if rest:
        steps.append(Step("unpartitioned sources and the dbt models", rest))
    for first, _ in months:
        month = month_key(first)
        if late and month in monthly_keys:
            steps.append(Step(f"reports {first:%Y-%m}", late, partition=month))
    return steps


def run_step(defs: dg.Definitions, step: Step, instance: dg.DagsterInstance) -> RunSummary:
    job = defs.resolve_implicit_global_asset_job_def()
    result = run_assets(job, instance, step.keys, partition=step.partition, tags=step.tags or None)
    return summarize(step.partition, [result])
