"""Asset keys = warehouse relations (``[schema, name]``), groups = dbt layers, so UI lineage matches the SQL users type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from pipelines.lib.automation import refresh_when_upstream_lands


class InfraledgerDbtTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # meta.dagster.asset_key: ["raw", "<table>"]
        schema = dbt_resource_props.get("config", {}).get("schema") or dbt_resource_props.get("schema")
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return None
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """The model's description, else the comment its SQL opens with (every model explains itself there); never
        the raw SQL dagster-dbt falls back to."""
        described = " ".join((dbt_resource_props.get("description") or "").split())
        if described:
            return described
        header = []
        for line in (dbt_resource_props.get("raw_code") or "").splitlines():
            if not line.startswith("--"):
                break
            header.append(line.removeprefix("--").strip())
        return " ".join(header) or f"dbt {dbt_resource_props['resource_type']} {dbt_resource_props['name']}"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:data-platform"]

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> dg.AutomationCondition | None:
        if dbt_resource_props["resource_type"] in ("model", "snapshot"):
            return refresh_when_upstream_lands()
        return None
