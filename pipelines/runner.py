"""Run assets in-process for the CLI (one process, so DuckDB's single writer is never contended)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipelines.config import InfraledgerConfig

DAGSTER_YAML = """\
# Written by infraledger: every DuckDB-writing step shares the 'duckdb' pool, one at a time.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def prepare_dagster_home(cfg: InfraledgerConfig) -> Path:
    """Create the persistent DAGSTER_HOME (run history, schedules, sensors survive restarts) and export it."""
    home = cfg.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    dagster_yaml = home / "dagster.yaml"
    if not dagster_yaml.exists():
        dagster_yaml.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@dataclass(frozen=True)
class RunSummary:
    partition: str | None
    success: bool
    checks_failed: list[str]


def materialize(
    defs: dg.Definitions,
    *,
    selection: str | None,
    partitions: list[str | None],
    instance: dg.DagsterInstance,
    progress: Callable[[str], None] | None = None,
) -> list[RunSummary]:
    """Materialize ``selection`` (Dagster selection syntax; None = everything) once per partition."""
    job = defs.resolve_implicit_global_asset_job_def()
    asset_selection = None
    if selection:
        asset_selection = list(dg.AssetSelection.from_string(selection).resolve(defs.resolve_asset_graph()))
    out = []
    for n, partition in enumerate(partitions, start=1):
        if progress:
            progress(f"[{n}/{len(partitions)}] materializing {selection or 'all assets'}"
                     + (f" for partition {partition}" if partition else ""))
        result = job.execute_in_process(
            partition_key=partition, instance=instance, asset_selection=asset_selection, raise_on_error=False
        )
        failed = [
            f"{e.asset_key.to_user_string()}:{e.check_name}"
            for e in result.get_asset_check_evaluations()
            if not e.passed
        ]
        out.append(RunSummary(partition=partition, success=result.success, checks_failed=failed))
    return out
