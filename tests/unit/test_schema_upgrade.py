"""A warehouse created by an earlier release is brought to the current DDL in place, keeping its rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.schema import apply_ddl, table_columns

pytestmark = pytest.mark.unit


def test_source_totals_from_before_per_file_tracking_gains_the_column(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "old.duckdb"))
    conn.execute("create schema audit")
    conn.execute("""create table audit.source_totals (load_id varchar not null, source varchar not null,
        partition_key varchar not null, billing_period varchar not null, provider_name varchar not null,
        currency varchar, rows_read bigint not null, file_total decimal(38, 10), quarantined_total decimal(38, 10))""")
    conn.execute("insert into audit.source_totals values ('l', 'aws_cur', '2026-10', '2026-10', 'AWS', 'USD', 1, 1, 0)")
    apply_ddl(conn)
    apply_ddl(conn)  # idempotent
    assert "source_file" in {c for c, _ in table_columns(conn, "audit", "source_totals")}
    assert conn.execute("select count(*), any_value(source_file) from audit.source_totals").fetchone() == (1, None)
