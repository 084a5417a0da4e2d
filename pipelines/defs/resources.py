"""Resources, built from the effective configuration each time the definitions load."""


import os

import dagster as dg

from pipelines.lib.dbt_cli import InfraledgerDbtCliResource
from pipelines.lib.dbt_manifest import dbt_executable
from pipelines.lib.dbt_project import infraledger_dbt_project
from pipelines.config import current_config
from pipelines.resources_impl import BudgetsResource, QualityResource, WarehouseResource, build_source_resources


def _secret(name: str) -> dg.EnvVar | None:
    """A Dagster EnvVar when the variable is set (resolved at run time, never shown or stored)."""
    return dg.EnvVar(name) if os.environ.get(name) else None


@dg.definitions
def resources() -> dg.Definitions:
    cfg = current_config()
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(settings=cfg.warehouse_settings(),
                                           allocation_tag_keys=cfg.allocation_tag_keys, fleet=cfg.fleet,
                                           lake=cfg.lake.resolved(lambda p: str(cfg.resolve(p))), spark=cfg.spark),
            "quality": QualityResource(docs_dir=str(cfg.resolve(cfg.quality.docs_dir)),
                                       keep_results=cfg.quality.keep_results, chunk_mib=cfg.quality.chunk_mib),
            "budgets": BudgetsResource(budgets=cfg.budgets(), webhook_url=_secret("INFRALEDGER_ALERT_WEBHOOK_URL")),
            **build_source_resources(
                cfg,
                access_key_id=_secret("AWS_ACCESS_KEY_ID"),
                secret_access_key=_secret("AWS_SECRET_ACCESS_KEY"),
                redfish_username=_secret("INFRALEDGER_REDFISH_USERNAME"),
                redfish_password=_secret("INFRALEDGER_REDFISH_PASSWORD"),
            ),
            "dbt": InfraledgerDbtCliResource(
                project_dir=infraledger_dbt_project(),
                dbt_executable=dbt_executable(),
            ),
        }
    )
