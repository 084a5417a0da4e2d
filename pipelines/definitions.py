"""The code location: every ``@dg.definitions`` under ``pipelines/defs`` merged into one ``Definitions``."""

from __future__ import annotations

import warnings
from pathlib import Path

import dagster as dg

from pipelines.lib.metadata import column_schema
from warehouse.describe import declared_columns

def _with_declared_columns(spec: dg.AssetSpec) -> dg.AssetSpec:
    """Raw assets show the columns their DDL declares (the Columns tab), before anything is loaded."""
    if spec.key.path[0] != "raw" or "dagster/column_schema" in spec.metadata:
        return spec
    columns = declared_columns().get(("raw", spec.key.path[-1]))
    return spec.merge_attributes(metadata={"dagster/column_schema": column_schema(columns)}) if columns else spec


@dg.definitions
def defs() -> dg.Definitions:
    with warnings.catch_warnings():
        # map_asset_specs is a preview API in Dagster 1.13, used knowingly here: its warning only alarms users
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return dg.load_from_defs_folder(path_within_project=Path(__file__).parent).map_asset_specs(
            func=_with_declared_columns)
