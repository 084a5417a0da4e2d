"""The project's dbt macros rendered with plain Jinja, as dbt renders them for DuckDB, so a unit test can run one in
DuckDB on hand-made rows: ``adapter.dispatch(name)`` resolves to the ``default__`` form (the DuckDB dialect of
dbt/macros/dialect.sql and the other dispatched macros), ``return`` yields its value, ``var`` reads ``vars``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2

from pipelines.lib.dbt_project import DBT_PROJECT_DIR

MACRO_DIR = DBT_PROJECT_DIR / "macros"


class _DuckdbAdapter:
    def __init__(self) -> None:
        self.module: Any = None

    def dispatch(self, name: str, package: str | None = None) -> Callable[..., str]:
        return getattr(self.module, f"default__{name}")


def render_sql(files: list[str], sql: str, vars: dict[str, Any] | None = None) -> str:
    """``sql`` (Jinja calling the macros of ``files``, dialect.sql always included) rendered to DuckDB SQL."""
    env = jinja2.Environment()
    adapter = _DuckdbAdapter()
    env.globals.update({"adapter": adapter, "return": lambda value: value,
                        "var": (vars or {}).__getitem__})
    names = ["dialect.sql", *(f for f in files if f != "dialect.sql")]
    macros = "".join((MACRO_DIR / f).read_text() for f in names)
    adapter.module = env.from_string(macros).module
    return env.from_string(macros + sql).render()
