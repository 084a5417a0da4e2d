"""The dbt project, alone in its module so tooling and test fixtures can import it before a manifest exists."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt"
TARGET_PATH = Path("target")  # relative to the project, as dbt and DbtProject read it
# where `dbt parse` (pipelines/lib/dbt_manifest.py) writes the manifest: read-only commands (`infraledger tables`)
# read it without importing dagster-dbt (~1 s of a command's start)
MANIFEST_PATH = DBT_PROJECT_DIR / TARGET_PATH / "manifest.json"


@cache
def infraledger_dbt_project() -> DbtProject:
    from dagster_dbt import DbtProject

    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=TARGET_PATH)
