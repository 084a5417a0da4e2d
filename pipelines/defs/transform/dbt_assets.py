"""dbt models as Dagster assets: raw → staging → intermediate → marts; dbt tests become asset checks."""


import contextlib
import io
import json
import os
import sys

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.lib.dbt_manifest import ensure_manifest
from pipelines.lib.dbt_project import infraledger_dbt_project
from pipelines.lib.dbt_translator import InfraledgerDbtTranslator
from pipelines.lib.metadata import table_metadata
from pipelines.resources_impl import WarehouseResource
from pipelines.runner import verbose
from warehouse.describe import describe
from warehouse.schema import ensure_warehouse

WAREHOUSE_ENV = "INFRALEDGER_WAREHOUSE_PATH"  # read by dbt/profiles.yml

project = infraledger_dbt_project()
ensure_manifest(project)


@dbt_assets(
    manifest=project.manifest_path,
    project=project,
    dagster_dbt_translator=InfraledgerDbtTranslator(),
    pool="duckdb",
)
def infraledger_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    """``dbt build`` of the selected models against the warehouse file (one writer at a time: pool duckdb)."""
    ensure_warehouse(warehouse.path)  # schemas and raw tables exist before dbt reads its sources
    os.environ[WAREHOUSE_ENV] = warehouse.path
    dbt_vars = {"allocation_tag_keys": list(warehouse.allocation_tag_keys)}
    # never colour codes where nobody reads a terminal (dbt's lines reach the console only with --verbose: they are
    # logged through the run's logger, which is quiet by default)
    flags = [] if sys.stdout.isatty() else ["--no-use-colors"]
    # dagster-dbt echoes every dbt event to stdout; quiet by default (dbt keeps its own log under dbt/logs, and a
    # failure still raises with dbt's error)
    echo = contextlib.nullcontext() if verbose() else contextlib.redirect_stdout(io.StringIO())
    with echo:
        events = list(dbt.cli([*flags, "build", "--vars", json.dumps(dbt_vars)], context=context).stream())
    # dbt has finished and let go of the file: describe what it built (row count, column types, and for marts the
    # first rows) and attach it to each materialization before handing the events over
    with warehouse.writer() as conn:
        for event in events:
            yield _described(context, conn, event)


def _described(context: dg.AssetExecutionContext, conn, event):
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


@dg.definitions
def dbt_definitions() -> dg.Definitions:
    return dg.Definitions(assets=[infraledger_dbt_models])
