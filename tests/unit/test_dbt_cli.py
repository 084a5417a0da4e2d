"""The pipeline's dbt CLI resource skips dagster-dbt's `dbt --version` subprocess and in-process adapter: it must
give the version dbt itself reports, and the dagster-dbt methods it replaces must still be the ones `cli` calls."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource
from packaging import version

from pipelines.lib.dbt_cli import InfraledgerDbtCliResource
from pipelines.lib.dbt_manifest import dbt_executable
from pipelines.lib.dbt_project import infraledger_dbt_project

REPO_ROOT = Path(__file__).resolve().parents[2]


def _resource(executable: str) -> InfraledgerDbtCliResource:
    return InfraledgerDbtCliResource(project_dir=infraledger_dbt_project(), dbt_executable=executable)


def test_the_version_is_the_one_dbt_reports() -> None:
    reported = subprocess.run([dbt_executable(), "--version"], capture_output=True, text=True, check=True).stdout
    core = next(line for line in reported.splitlines() if "installed" in line.lower())
    assert _resource(dbt_executable())._cli_version == version.parse(core.split(":")[-1].strip())


def test_no_adapter_is_opened_in_the_step_process() -> None:
    assert _resource(dbt_executable())._initialize_dbt_core_adapter(["build"]) is None


def test_the_replaced_dagster_dbt_methods_are_still_what_cli_calls() -> None:
    source = inspect.getsource(DbtCliResource.cli)
    assert "self._cli_version" in source and "self._initialize_dbt_core_adapter(" in source
    assert isinstance(inspect.getattr_static(DbtCliResource, "_cli_version"), type(inspect.getattr_static(
        InfraledgerDbtCliResource, "_cli_version")))


def test_the_definitions_use_it(infraledger_env) -> None:
    from pipelines.definitions import defs

    assert isinstance(defs().resources["dbt"], InfraledgerDbtCliResource)


def test_read_only_commands_find_the_manifest_without_dagster_dbt() -> None:
    """`infraledger tables` reads the models' descriptions from the manifest at the path dagster-dbt's project gives,
    without importing dagster-dbt (about a second of the command's start)."""
    from pipelines.lib.dbt_project import MANIFEST_PATH

    assert infraledger_dbt_project().manifest_path == MANIFEST_PATH
    probe = ("import sys\nfrom pipelines.cli import _model_descriptions\n_model_descriptions()\n"
             "assert 'dagster_dbt' not in sys.modules, 'dagster_dbt was imported'\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
