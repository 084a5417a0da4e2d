"""dbt models as Dagster assets: raw → staging → intermediate → marts; dbt tests become asset checks."""


import json
import os

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.lib.dbt_manifest import ensure_manifest
from pipelines.lib.dbt_project import infraledger_dbt_project
from pipelines.lib.dbt_translator import InfraledgerDbtTranslator
from pipelines.resources_impl import WarehouseResource
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
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()


@dg.definitions
def dbt_definitions() -> dg.Definitions:
    return dg.Definitions(assets=[infraledger_dbt_models])
