"""dbt models as Dagster assets: raw → staging → intermediate → marts; dbt tests become asset checks."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.lib import dbt_run
from pipelines.lib.dbt_manifest import ensure_manifest
from pipelines.lib.dbt_project import infraledger_dbt_project
from pipelines.lib.dbt_translator import InfraledgerDbtTranslator
from pipelines.resources_impl import BudgetsResource, WarehouseResource

project = infraledger_dbt_project()
ensure_manifest(project)


@dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=InfraledgerDbtTranslator(),
            pool="duckdb")
def infraledger_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
                           budgets: BudgetsResource):
    """``dbt build`` of the selected models against the warehouse file (one writer at a time: pool duckdb); the
    configured budgets reach fct_budget_status as dbt's var ``budgets``."""
    yield from dbt_run.build(context, dbt, warehouse, budgets)


@dg.definitions
def dbt_definitions() -> dg.Definitions:
    return dg.Definitions(assets=[infraledger_dbt_models])
