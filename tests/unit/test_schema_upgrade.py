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


def test_prometheus_points_with_labels_are_split_into_series_keeping_every_point(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "old.duckdb"))
    conn.execute("create schema raw")
    conn.execute("""create table raw.prometheus_samples (sample_time timestamp not null, metric varchar not null,
        series_labels json not null, hostname varchar, gpu_uuid varchar, gpu_i_id varchar, pod varchar, value double,
        _partition varchar not null, _source_file varchar not null, _load_id varchar not null,
        _loaded_at timestamptz not null)""")
    for minute, labels in ((0, '{"__name__":"m","UUID":"GPU-1","instance":"h:9400"}'),
                           (1, '{"instance":"h:9400","UUID":"GPU-1","__name__":"m"}'),   # same series, other order
                           (1, '{"__name__":"m","UUID":"GPU-2"}')):
        conn.execute("insert into raw.prometheus_samples values (timestamp '2026-10-01 00:00:00' + to_minutes(?), "
                     "'m', ?, null, ?, null, null, 1.5, 'm/2026-10-01', 'f.json', 'l', now())",
                     [minute, labels, labels.split('"UUID":"')[1][:5]])
    apply_ddl(conn)
    apply_ddl(conn)  # idempotent
    assert "series_labels" not in {c for c, _ in table_columns(conn, "raw", "prometheus_samples")}
    assert conn.execute("select count(*) from raw.prometheus_samples").fetchone()[0] == 3
    series = conn.execute("select gpu_uuid, instance from raw.prometheus_series order by 1").fetchall()
    assert series == [("GPU-1", "h:9400"), ("GPU-2", None)]
    joined = conn.execute("select count(*) from raw.prometheus_samples join raw.prometheus_series using (series_id)")
    assert joined.fetchone()[0] == 3


def test_cur_columns_added_by_an_upgrade_load_by_name(sample_dir: Path, tmp_path: Path) -> None:
    """An upgraded CUR table has its newer columns last (ALTER adds them at the end): a delivery still lands each
    value in its own column."""
    from tests.cur_totals import final_delivery
    from warehouse.loaders.aws_cur import load_cur_delivery

    conn = duckdb.connect(str(tmp_path / "old.duckdb"))
    apply_ddl(conn)
    for col in ("reservation_amortized_upfront_cost_for_usage", "reservation_recurring_fee_for_usage"):
        conn.execute(f"alter table raw.aws_cur_line_items drop column {col}")  # as a 0.5 warehouse had it
    apply_ddl(conn)
    assert [c for c, _ in table_columns(conn, "raw", "aws_cur_line_items")][-1] == "reservation_recurring_fee_for_usage"
    delivery, files = final_delivery(sample_dir, "2026-10")
    load_cur_delivery(conn, billing_period="2026-10", delivery_id=delivery, files=files)
    recurring = conn.execute("select distinct reservation_recurring_fee_for_usage from raw.aws_cur_line_items "
                             "where line_item_line_item_type = 'DiscountedUsage'").fetchall()
    assert recurring == [(0.127,)]
    assert conn.execute("select count(*) from raw.aws_cur_line_items where _delivery_id <> ?",
                        [delivery]).fetchone() == (0,)
