"""One ``dbt build`` of the selected models against the warehouse file, quiet unless ``--verbose``, each
materialization described (row count, column types, a preview of marts) once dbt has let go of the file."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.lib import spark_engine
from pipelines.lib.metadata import table_metadata
from pipelines.runner import verbose
from warehouse.describe import describe
from warehouse.lake import publish, read_as_views
from warehouse.schema import ensure_warehouse

WAREHOUSE_ENV = "INFRALEDGER_WAREHOUSE_PATH"  # read by dbt/profiles.yml
PARTIAL_PARSE = "partial_parse.msgpack"
KEPT_RUN_FOLDERS = 5  # the newest dbt run folders kept for debugging (each holds dbt's log and manifest, ~12 MB)


@contextlib.contextmanager
def profile_reads(name: str, value: str, more: dict[str, str] | None = None) -> Iterator[None]:
    """The variables dbt's profiles.yml reads, set for one dbt invocation and restored after it."""
    values = {name: value, **(more or {})}
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def keep_partial_parse(project_dir: Path, run_target: Path) -> None:
    """The run's parsed project becomes the one the next run starts from. dagster-dbt gives each run a target folder
    of its own and seeds it with ``<project>/target/partial_parse.msgpack``; that file is dbt's own from its first
    parse, made with other vars and another warehouse path, so every run re-parsed the whole project (~5-8 s). Kept
    from the last run, a run with the same vars and warehouse parses only what changed (dbt checks both, and every
    file's checksum). Replaced atomically: runs in other processes may be copying it."""
    parsed = run_target / PARTIAL_PARSE
    if not parsed.is_file():
        return
    kept = project_dir / os.getenv("DBT_TARGET_PATH", "target") / PARTIAL_PARSE
    kept.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=kept.parent, prefix=".partial_parse-")
    os.close(fd)
    shutil.copyfile(parsed, tmp)
    os.replace(tmp, kept)


def prune_run_folders(run_target: Path, keep: int = KEPT_RUN_FOLDERS) -> list[Path]:
    """Remove the oldest of this op's run folders beside ``run_target``, keeping the newest ``keep`` (this run's among
    them). dagster-dbt gives every run a folder ``<op>-<run id>-<uuid>`` holding dbt's log, manifest and compiled SQL
    (~12 MB at scale 1) and never removes it: a daily schedule filled ~4 GB a year. Returns what was removed."""
    op_name = run_target.name.rsplit("-", 2)[0]
    runs = [p for p in run_target.parent.glob(f"{op_name}-*-*")
            if p.is_dir() and p.name.rsplit("-", 2)[0] == op_name and p != run_target]
    runs.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    removed = runs[max(keep - 1, 0):]
    for old in removed:
        shutil.rmtree(old, ignore_errors=True)
    return removed


def build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Any, budgets: Any) -> Iterator[Any]:
    """Run ``dbt build`` for the context's selection and yield its events, outputs described."""
    ensure_warehouse(warehouse.path)  # schemas and raw tables exist before dbt reads its sources
    on_spark = warehouse.settings.engine == "spark"
    lake = Path(warehouse.lake.location)
    if on_spark:  # Spark reads the raw layer from the lake: publish what the loads changed
        with warehouse.writer() as conn:
            published = publish(conn, lake)
        context.log.info(f"lake {lake}: {sum(p.partitions_written for p in published)} partitions published")
    dbt_vars = {"allocation_tag_keys": list(warehouse.allocation_tag_keys),
                "budgets": [b.as_dbt_var() for b in budgets.budgets], **warehouse.fleet.as_dbt_vars()}
    # never colour codes where nobody reads a terminal (dbt's lines reach the console only with --verbose)
    flags = [] if sys.stdout.isatty() else ["--no-use-colors"]
    # dagster-dbt echoes every dbt event to stdout; quiet by default (dbt keeps its own log under dbt/logs, and a
    # failure still raises with dbt's error)
    echo = contextlib.nullcontext() if verbose() else contextlib.redirect_stdout(io.StringIO())
    engine_env = spark_engine.dbt_environment(lake, warehouse.spark) if on_spark else {}
    engine_args = spark_engine.dbt_arguments(warehouse.spark) if on_spark else []
    with echo, profile_reads(WAREHOUSE_ENV, warehouse.path, engine_env):
        # dbt's unit tests check the models' SQL, not the data: as dbt advises, they run in development and CI (the
        # test suite runs every one by name, and a `dbt build` by hand includes them), not in every production run
        invocation = dbt.cli([*flags, "build", *engine_args, "--exclude-resource-type", "unit_test",
                              "--vars", json.dumps(dbt_vars)], context=context)
        events = list(invocation.stream())
    keep_partial_parse(Path(dbt.project_dir), invocation.target_path)
    prune_run_folders(invocation.target_path)
    # dbt has finished and let go of the file: describe what it built and attach it to each materialization
    with warehouse.writer() as conn:
        if on_spark:  # what Spark wrote, readable from the warehouse file
            read_as_views(conn, lake, spark_engine.built_tables(context, events, invocation.manifest))
        for event in events:
            yield _described(context, conn, event)


def _described(context: dg.AssetExecutionContext, conn: Any, event: Any) -> Any:
    if not isinstance(event, dg.Output):
        return event
    key = context.asset_key_for_output(event.output_name)
    desc = describe(conn, key.path[0], key.path[-1], preview_rows=10 if key.path[0] == "marts" else 0)
    if desc is None:
        return event
    spec_schema = context.assets_def.specs_by_key[key].metadata.get("dagster/column_schema")
    described = {c.name: c.description for c in spec_schema.columns} if spec_schema else {}
    return event.with_metadata({**event.metadata,
                                **table_metadata(desc, described, preview=key.path[0] == "marts")})
