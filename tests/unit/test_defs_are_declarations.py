"""pipelines/defs holds declarations only (which source is which asset, jobs, schedules, sensors, checks): logic lives
in pipelines/lib, pipelines/sources and pipelines/quality, so no file there grows past 60 lines."""

from __future__ import annotations

from pathlib import Path

import pytest

DEFS = Path(__file__).resolve().parents[2] / "pipelines" / "defs"
pytestmark = pytest.mark.unit


def test_no_defs_file_is_over_60_lines() -> None:
    sizes = {str(p.relative_to(DEFS)): len(p.read_text().splitlines()) for p in DEFS.rglob("*.py")}
    assert sizes and {k: n for k, n in sizes.items() if n > 60} == {}
