"""The reliability promises point at tests that exist, so docs/reliability.md cannot silently go stale."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
REPO_ROOT = Path(__file__).resolve().parents[2]


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_test_named_in_the_reliability_doc_exists() -> None:
    doc = (REPO_ROOT / "docs" / "reliability.md").read_text()
    refs = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", doc)
    assert len(refs) >= 40
    missing = [f"{f}::{name}" for f, name in refs
               if not (REPO_ROOT / f).is_file() or name not in _test_names(REPO_ROOT / f)]
    assert missing == []
