"""Architecture: collectors and warehouse never import pipelines; only pipelines imports Dagster."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.unit


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _files(package: str) -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["collectors", "warehouse"])
def test_lower_layers_do_not_import_pipelines_or_dagster(package: str) -> None:
    offenders = {
        str(p.relative_to(REPO_ROOT)): sorted(_imports(p) & {"pipelines", "dagster", "dagster_dbt"})
        for p in _files(package)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_collectors_do_not_touch_duckdb_or_warehouse() -> None:
    offenders = {str(p): sorted(_imports(p) & {"duckdb", "warehouse"}) for p in _files("collectors")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_warehouse_imports_nothing_of_ours_but_itself() -> None:
    offenders = {str(p): sorted(_imports(p) & {"collectors", "pipelines"}) for p in _files("warehouse")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_itself_sees_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import dagster as dg\nfrom pipelines.config import load_config\n")
    assert {"dagster", "pipelines"} <= _imports(probe)


def test_dbt_folder_holds_no_python() -> None:
    assert list((REPO_ROOT / "dbt").glob("**/*.py")) == []


def test_raw_sources_are_dagster_free() -> None:
    """pipelines/sources (plan, fetch, load of every raw source) is wired by the asset factory, never imports Dagster."""
    offenders = {str(p): sorted(_imports(p) & {"dagster", "dagster_dbt"}) for p in _files("pipelines/sources")}
    assert offenders and {k: v for k, v in offenders.items() if v} == {}
