"""Named statements (warehouse/sql/queries/*.sql) run against the DDL as it is, with their named parameters."""

from __future__ import annotations

import re

import duckdb
import pytest

from warehouse.schema import apply_ddl
from warehouse.statements import QUERIES_DIR, run, scalar, statement

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES_DIR.glob("*.sql")))
def test_every_statement_parses_and_those_over_raw_and_audit_run_on_an_empty_warehouse(name: str) -> None:
    """Statements over marts run in the end-to-end tests (report, summary, status read the built marts), and a
    loader's statements over its temporary staging tables in the loader's tests."""
    conn = duckdb.connect()
    apply_ddl(conn)
    text = statement(name)
    assert len(conn.extract_statements(text)) == 1
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--")).lstrip().lower()
    if body.startswith("select") and "marts." not in text and not re.search(r"\b(from|join)\s+_\w+", body):
        params = {p: "2026-10" for p in set(re.findall(r"\$(\w+)", statement(name)))}
        assert run(conn, name, **params).fetchall() is not None


def test_a_duplicate_line_item_is_counted_once_per_key_and_period() -> None:
    conn = duckdb.connect()
    apply_ddl(conn)
    rows = [("a", "i1", "2026-10"), ("a", "i1", "2026-10"), ("a", "i1", "2026-10"), ("a", "i2", "2026-10"),
            ("b", "i1", "2026-10"), ("b", "i1", "2026-10"), ("c", "i1", "2026-09"), ("c", "i1", "2026-09")]
    conn.executemany(
        "insert into raw.aws_cur_line_items (identity_line_item_id, identity_time_interval, _billing_period, "
        "_delivery_id, _source_file, _source_row, _load_id, _loaded_at) values (?, ?, ?, 'd', 'f', 0, 'l', now())", rows)
    assert scalar(conn, "cur_duplicate_line_item_keys", period="2026-10") == 2     # (a, i1) and (b, i1)
    assert scalar(conn, "cur_duplicate_line_item_keys", period="2026-09") == 1
    assert scalar(conn, "cur_rows_all_periods") == len(rows)


def test_an_unknown_statement_names_the_folder() -> None:
    with pytest.raises(KeyError, match="queries"):
        statement("no_such_statement")
