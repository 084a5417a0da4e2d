"""Templated statements (warehouse/sql/templates) take names, types and text only through the quoting filters: a
column name a delivered file brings cannot become SQL, and a plain string reaching the output is refused."""

from __future__ import annotations

import duckdb
import jinja2
import pytest

from warehouse import templates
from warehouse.templates import ident, literal, relation, render, sqltype

pytestmark = pytest.mark.unit


def test_a_hostile_column_name_stays_one_identifier() -> None:
    name = 'x" from raw.aws_cur_line_items; drop table audit.loads; --'
    conn = duckdb.connect()
    conn.execute(f"create table t ({ident(name)} integer)")
    conn.execute("insert into t values (7)")
    assert conn.execute(f"select {ident(name)} from t").fetchone() == (7,)
    assert conn.execute(f"select {literal(name)}").fetchone() == (name,)


@pytest.mark.parametrize("bad", ["raw.t; drop table x", "Raw.T", "a.b.c", "t --", ""])
def test_a_relation_must_be_one_of_our_table_names(bad: str) -> None:
    with pytest.raises(ValueError, match="not a table name"):
        relation(bad)


@pytest.mark.parametrize("good", ["DECIMAL(38,10)", "decimal(38, 10)", "TIMESTAMP WITH TIME ZONE", "VARCHAR[]",
                                  "MAP(VARCHAR, VARCHAR)", "JSON", "BIGINT"])
def test_column_types_as_duckdb_spells_them_pass(good: str) -> None:
    assert sqltype(good) == good


@pytest.mark.parametrize("bad", ["varchar); drop table x; --", "int -- x", "text;"])
def test_anything_else_is_not_a_type(bad: str) -> None:
    with pytest.raises(ValueError, match="not a column type"):
        sqltype(bad)


def test_a_plain_string_in_a_template_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    env = templates._environment()
    loader = jinja2.DictLoader({"t.sql": "select {{ name }}", "ok.sql": "select {{ name | ident }}, {{ n }}"})
    monkeypatch.setattr(env, "loader", loader)
    monkeypatch.setattr(env, "cache", {})
    with pytest.raises(TypeError, match="not quoted"):
        render("t", name="1; drop table x")
    assert render("ok", name="a b", n=3) == 'select "a b", 3'


def test_a_missing_value_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("catalog/table_rows", schema="raw")
