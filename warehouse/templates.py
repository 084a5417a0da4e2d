"""Statements whose shape follows the data (the columns a file brings, the table's types, the table a reader names),
kept as Jinja templates beside the DDL (``warehouse/sql/templates/<loader>/<step>.sql``, ``common/`` for the load
bookkeeping, ``catalog/`` for reads of a named table) and rendered from data, never from SQL text.

A template receives names, types and literals only through filters that validate or quote them (``ident``,
``relation``, ``sqltype``, ``literal``); any other string reaching the output is refused, so a column name in a
delivered file cannot become SQL. Values are still bound as ``$named`` parameters at execution.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import duckdb
import jinja2
from markupsafe import Markup

from warehouse.schema import SQL_DIR

TEMPLATES_DIR = SQL_DIR / "templates"
_RELATION = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
_TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?(\[\])?$|^(MAP|STRUCT)\([A-Za-z0-9_ ,()\"]*\)$", re.I)


class Sql(Markup):
    """A fragment a filter vouched for (quoted or validated); a macro's output is one too (autoescape makes it
    Markup, and every value inside it passed this check)."""


def ident(name: str) -> Sql:
    """A quoted identifier: any text, safely."""
    return Sql('"' + str(name).replace('"', '""') + '"')


def relation(name: str) -> Sql:
    """A table name of our own (``schema.table`` or a temporary ``_table``), checked against a strict pattern."""
    if not _RELATION.match(name):
        raise ValueError(f"not a table name: {name!r}")
    return Sql(name)


def sqltype(name: str) -> Sql:
    """A column type as ``information_schema`` spells it (``DECIMAL(38,10)``, ``MAP(VARCHAR, VARCHAR)``)."""
    if not _TYPE.match(name) or ";" in name or "--" in name:
        raise ValueError(f"not a column type: {name!r}")
    return Sql(name)


def literal(text: str) -> Sql:
    """A string literal."""
    return Sql("'" + str(text).replace("'", "''") + "'")


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError(f"template output {value!r} is not quoted: pass it through ident, relation, sqltype or literal")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), undefined=jinja2.StrictUndefined, finalize=_finalize,
        autoescape=True, trim_blocks=False, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(ident=ident, relation=relation, sqltype=sqltype, literal=literal)
    return env


def render(template: str, /, **context: Any) -> str:
    """The SQL of ``templates/<name>.sql`` for this context."""
    return _environment().get_template(f"{template}.sql").render(**context)


def execute(conn: duckdb.DuckDBPyConnection, template: str, params: dict[str, Any] | None = None, /,
            **context: Any) -> duckdb.DuckDBPyConnection:
    """Render ``templates/<name>.sql`` and run it with the ``$named`` parameters it uses (a template's optional parts
    may leave some out); the cursor holds any result."""
    sql = render(template, **context)
    wanted = set(_PARAM.findall(sql))
    bound = {k: v for k, v in (params or {}).items() if k in wanted}
    return conn.execute(sql, bound) if bound else conn.execute(sql)


def fetch_one(conn: duckdb.DuckDBPyConnection, template: str, params: dict[str, Any] | None = None, /,
              **context: Any) -> tuple | None:
    """The first row of the rendered statement."""
    return execute(conn, template, params, **context).fetchone()
