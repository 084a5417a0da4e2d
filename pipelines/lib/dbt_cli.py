"""The dbt CLI resource of the pipeline: dagster-dbt's, without two costs paid before every ``dbt build``.

dagster-dbt's ``DbtCliResource.cli`` first runs ``dbt --version`` in a subprocess (~3 s: dbt's imports) and then
builds a dbt adapter in the step's own process (~2 s) that only its ``fetch_row_counts`` / ``fetch_column_metadata``
use. The pipeline uses neither (it describes what dbt built itself, once dbt has let go of the warehouse file), and
the dbt it runs is the one installed beside this interpreter, whose version is its package's. Both are private
methods of dagster-dbt (the Dagster family is pinned to one release); tests/unit/test_dbt_cli.py fails if they change.
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource
from packaging import version


class InfraledgerDbtCliResource(DbtCliResource):
    """``DbtCliResource`` that knows this environment's dbt version and opens no adapter in the step's process."""

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) == Path(sys.executable).parent / "dbt":
            return version.parse(importlib.metadata.version("dbt-core"))
        return super()._cli_version  # another dbt (on PATH): ask it, as dagster-dbt does

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> Any:
        return None
