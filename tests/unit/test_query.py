"""`infraledger sql` access: reads work, anything else is refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.connection import writer
from warehouse.query import QueryRefused, run_query
from warehouse.schema import ensure_warehouse

pytestmark = pytest.mark.unit


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    path = ensure_warehouse(tmp_path / "w.duckdb")
    with writer(path) as conn:
        conn.execute("create table marts.t as select 1 as x")
    return path


def test_select_works(wh: Path) -> None:
    assert run_query(wh, "select 1 as one").rows == [(1,)]
    assert run_query(wh, "select x from marts.t").columns == ["x"]


@pytest.mark.parametrize(
    "sql",
    [
        "insert into marts.t values (2)",
        "delete from marts.t",
        "drop table marts.t",
        "create table marts.u as select 1",
        "attach '/tmp/other.duckdb' as o",
        "install httpfs",
        "load httpfs",
        "copy marts.t to '/tmp/leak.csv'",
        "set enable_external_access = true",
        "reset enable_external_access",
        "select 1; delete from marts.t",
        "pragma database_list",
        "call pragma_version()",
        "export database '/tmp/infraledger-export'",
        "detach memory",
        "create secret s (type s3, key_id 'a', secret 'b')",
        "begin transaction",
        "checkpoint",
    ],
)
def test_writes_and_escapes_are_refused(wh: Path, sql: str) -> None:
    with pytest.raises(QueryRefused, match="refused"):
        run_query(wh, sql)
    assert run_query(wh, "select count(*) from marts.t").rows == [(1,)]


def test_reading_arbitrary_files_is_refused(wh: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    for sql in (f"select * from read_csv('{secret}')", f"select * from '{secret}'",  # a replacement scan
                "select * from read_text('/etc/passwd')", "select * from glob('/etc/*')",
                f"select * from read_json_auto('{secret}')", "select * from duckdb_secrets()"):
        with pytest.raises(QueryRefused, match="refused"):
            run_query(wh, sql)
