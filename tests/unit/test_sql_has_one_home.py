"""SQL has one home: shipped Python (pipelines, collectors, warehouse) holds no SQL statement in a string literal;
statements live in warehouse/sql (DDL, queries/, templates/) and dbt. Allowed, by name: the BigQuery query the
collector sends to Google, and the two DDL steps of the 0.2 upgrade and the checkpoint before a snapshot."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.unit

_STATEMENT = re.compile(
    r"^\s*(select|insert|delete|update|create|with|drop|alter|copy|describe|pragma|attach|merge)\b.*"
    r"\b(from|into|table|view|set|as|where|values|schema)\b"
    r"|^\s*(checkpoint|begin|commit|rollback)(\s+transaction)?\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
ALLOWED = {
    ("collectors/gcp/billing_export.py",                                      # BigQuery, sent to Google
     "SELECT * FROM `..` WHERE export_time >= @since ORDER BY export_time"),
    ("warehouse/schema.py", "alter table raw.prometheus_samples rename to prometheus_samples_v1"),
    ("warehouse/schema.py", "drop table raw.prometheus_samples_v1"),
    ("warehouse/snapshot.py", "checkpoint"),
}


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings | parts:
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):  # an f-string: its text with the holes left empty
            found.append((node.lineno, "".join(v.value for v in node.values if isinstance(v, ast.Constant))))
    return found


def _statements_in(root: Path, package: str) -> list[str]:
    out = []
    for path in sorted((root / package).rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for line, text in _literals(path):
            if _STATEMENT.search(text) and (rel, text) not in ALLOWED:
                out.append(f"{rel}:{line}: {text[:80]!r}")
    return out


@pytest.mark.parametrize("package", ["pipelines", "collectors", "warehouse"])
def test_shipped_python_holds_no_sql_statement(package: str) -> None:
    assert _statements_in(REPO_ROOT, package) == []


def test_the_scan_finds_a_statement_where_there_is_one(tmp_path: Path) -> None:
    """The check can fail: a statement in a literal or an f-string is found, a docstring mentioning SQL is not."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "m.py").write_text('"""select * from docs is prose."""\nA = "select count(*) from raw.t"\n'
                              'B = f"insert into {t} values (1)"\nC = "selected items"\n')
    found = _statements_in(tmp_path, "pkg")
    assert [f.split(":")[1] for f in found] == ["2", "3"]
