"""Build the dbt manifest when it is missing or older than the dbt sources, so a fresh clone needs no manual step."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from dagster_dbt import DbtProject

from pipelines.lib.dbt_project import infraledger_dbt_project

_SOURCE_GLOBS = ("dbt_project.yml", "profiles.yml", "models/**/*", "macros/**/*", "seeds/**/*", "data-tests/**/*")


def dbt_executable() -> str:
    """The ``dbt`` next to this interpreter, so a venv works without being activated."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def manifest_is_stale(project: DbtProject) -> bool:
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    root = Path(project.project_dir)
    return any(p.is_file() and p.stat().st_mtime > built for g in _SOURCE_GLOBS for p in root.glob(g))


def ensure_manifest(project: DbtProject) -> Path:
    """Run ``dbt parse`` if needed (no warehouse connection is made) and return the manifest path. Processes that
    start together (pytest-xdist workers collecting tests, a code server beside a run) take turns on a lock file in
    the target folder: without it two of them parsed a fresh clone at once and one read the manifest while the
    other was rewriting it (a JSONDecodeError at collection)."""
    with _parse_lock(Path(project.project_dir) / project.target_path):  # dbt reads a relative one from the project
        if manifest_is_stale(project):
            env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
            proc = subprocess.run(
                [dbt_executable(), "parse", "--quiet", "--project-dir", str(project.project_dir),
                 "--profiles-dir", str(project.profiles_dir), "--target-path", str(project.target_path)],
                cwd=project.project_dir, env=env, capture_output=True, text=True,
            )
            if proc.returncode != 0:
                raise RuntimeError(f"dbt parse failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return project.manifest_path


@contextmanager
def _parse_lock(target: Path) -> Iterator[None]:
    """Hold ``target/.manifest.lock`` (released when the file closes). Where the folder cannot be written (a
    read-only image with its manifest built in) no one can parse into it either: there is nothing to wait for."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        lock = open(target / ".manifest.lock", "w")
    except OSError:
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@cache
def infraledger_manifest() -> dict[str, Any]:
    """The project's parsed manifest (built first if needed), read once per process: the raw contracts and the
    mart grains both come from it."""
    return json.loads(ensure_manifest(infraledger_dbt_project()).read_text())
