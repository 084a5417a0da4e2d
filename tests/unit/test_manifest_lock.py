"""``ensure_manifest`` takes turns with other processes: pytest-xdist workers on a fresh clone both parsed the project
at once and one read a half-written manifest (a JSONDecodeError while collecting tests)."""

from __future__ import annotations

import fcntl
import json
import threading
from pathlib import Path

import pytest
from dagster_dbt import DbtProject

from pipelines.lib import dbt_manifest
from pipelines.lib.dbt_manifest import ensure_manifest

pytestmark = pytest.mark.unit


def _tiny_project(root: Path) -> DbtProject:
    (root / "models").mkdir(parents=True)
    (root / "models" / "one.sql").write_text("select 1 as x\n")
    (root / "dbt_project.yml").write_text("name: tiny\nversion: '1.0'\nprofile: tiny\nmodel-paths: ['models']\n")
    (root / "profiles.yml").write_text(f"tiny:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                                       f"      path: {root / 'tiny.duckdb'}\n")
    return DbtProject(project_dir=root, profiles_dir=root)


def test_a_parse_waits_for_the_process_holding_the_lock_and_then_finds_the_manifest_fresh(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[list[str]] = []
    real_run = dbt_manifest.subprocess.run
    monkeypatch.setattr(dbt_manifest.subprocess, "run", lambda args, **kw: parses.append(args) or real_run(args, **kw))
    project = _tiny_project(tmp_path / "tiny")
    target = tmp_path / "tiny" / "target"
    target.mkdir()
    done: list[Path] = []
    with open(target / ".manifest.lock", "w") as held:  # another process in the middle of a parse
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = threading.Thread(target=lambda: done.append(ensure_manifest(project)))
        waiting.start()
        waiting.join(timeout=1.5)
        assert waiting.is_alive() and not done and not parses, "dbt parse ran while another process held the lock"
    waiting.join(timeout=120)
    assert done == [project.manifest_path] and len(parses) == 1
    manifest = json.loads(project.manifest_path.read_text())
    assert "model.tiny.one" in manifest["nodes"]
    built = project.manifest_path.stat().st_mtime_ns
    assert ensure_manifest(project) == project.manifest_path
    assert project.manifest_path.stat().st_mtime_ns == built and len(parses) == 1, "a fresh manifest was parsed again"


def test_a_target_folder_that_cannot_hold_the_lock_still_gives_its_fresh_manifest(tmp_path: Path) -> None:
    """A read-only image with its manifest built in: the lock file cannot be made, and nothing needs parsing."""
    project = _tiny_project(tmp_path / "tiny")
    ensure_manifest(project)
    built = project.manifest_path.stat().st_mtime_ns
    lock = tmp_path / "tiny" / "target" / ".manifest.lock"
    lock.unlink()
    lock.mkdir()  # opening it for writing fails, as in a folder that cannot be written (root writes anywhere)
    assert ensure_manifest(project) == project.manifest_path
    assert project.manifest_path.stat().st_mtime_ns == built
