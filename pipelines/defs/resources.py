"""Resources, built from the effective configuration each time the definitions load."""


import os

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.lib.dbt_manifest import dbt_executable
from pipelines.lib.dbt_project import infraledger_dbt_project
from pipelines.resources_impl import AwsCurSourceResource, WarehouseResource
from pipelines.settings import current_config


def _secret(name: str) -> dg.EnvVar | None:
    """A Dagster EnvVar when the variable is set (resolved at run time, never shown or stored)."""
    return dg.EnvVar(name) if os.environ.get(name) else None


@dg.definitions
def resources() -> dg.Definitions:
    cfg = current_config()
    cur = cfg.sources.aws_cur
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(path=str(cfg.warehouse_path), lock_wait_s=cfg.warehouse.lock_wait_s),
            "aws_cur": AwsCurSourceResource(
                location=cfg.location(cur.location),
                export_name=cur.export_name,
                region=cur.region,
                endpoint_url=cur.endpoint_url,
                profile=cur.profile,
                landing_dir=str(cfg.resolve(cfg.landing_dir)),
                aws_access_key_id=_secret("AWS_ACCESS_KEY_ID"),
                aws_secret_access_key=_secret("AWS_SECRET_ACCESS_KEY"),
            ),
            "dbt": DbtCliResource(
                project_dir=infraledger_dbt_project(),
                dbt_executable=dbt_executable(),
            ),
        }
    )
