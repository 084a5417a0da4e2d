"""warehouse.lake: raw tables published as Hive-partitioned Parquet, one file per partition, only what changed."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from warehouse.lake import EMPTY_PARTITION, PART_FILE, STATE_FILE, publish, read_as_views
from warehouse.schema import ensure_warehouse


def _conn(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "w.duckdb"
    ensure_warehouse(str(path))
    conn = duckdb.connect(str(path))
    conn.execute("""insert into raw.aws_spot_prices values
        ('us-east-1', 'us-east-1a', 'p5.48xlarge', 'Linux/UNIX', 12.5, '2026-10-01 03:00', 'f', 1, 'L1', now()),
        ('us-east-1', 'us-east-1a', 'p5.48xlarge', 'Linux/UNIX', 13.0, '2026-10-02 04:00', 'f', 2, 'L1', now())""")
    return conn


def test_partitions_are_one_file_each_and_only_changed_ones_are_written_again(tmp_path: Path) -> None:
    conn, lake = _conn(tmp_path), tmp_path / "lake"
    first = {p.table: p for p in publish(conn, lake, ["raw.aws_spot_prices", "raw.focus_cost_rows"])}
    spot = lake / "raw" / "aws_spot_prices"
    assert sorted(p.name for p in spot.iterdir() if p.is_dir()) == ["day=2026-10-01", "day=2026-10-02"]
    assert first["raw.aws_spot_prices"].rows_written == 2
    rows = conn.execute(f"select count(*), sum(spot_price) from read_parquet('{spot}/*/{PART_FILE}')").fetchone()
    assert rows == (2, 25.5)
    # an empty table has one empty file, so readers know its columns
    assert (lake / "raw" / "focus_cost_rows" / f"billing_period={EMPTY_PARTITION}" / PART_FILE).is_file()

    assert publish(conn, lake, ["raw.aws_spot_prices"])[0].partitions_written == 0  # nothing changed
    conn.execute("update raw.aws_spot_prices set _load_id = 'L2', spot_price = 14 where price_timestamp > '2026-10-02'")
    again = publish(conn, lake, ["raw.aws_spot_prices"])[0]
    assert (again.partitions_written, again.rows_written) == (1, 1)  # only the reloaded day
    assert conn.execute(f"select sum(spot_price) from read_parquet('{spot}/*/{PART_FILE}')").fetchone()[0] == 26.5
    conn.execute("delete from raw.aws_spot_prices where price_timestamp < '2026-10-02'")
    assert publish(conn, lake, ["raw.aws_spot_prices"])[0].partitions_removed == 1
    assert not (spot / "day=2026-10-01").exists()
    assert set(json.loads((spot / STATE_FILE).read_text())) == {"2026-10-02"}
    assert not (lake / ".publishing").exists()


def test_tables_another_engine_wrote_read_as_views(tmp_path: Path) -> None:
    conn, lake = _conn(tmp_path), tmp_path / "lake"
    folder = lake / "marts" / "fct_x" / "day=2026-10-01"
    folder.mkdir(parents=True)
    conn.execute(f"copy (select 1.5 as cost) to '{folder}/part-0.parquet' (format parquet)")
    conn.execute("create table marts.fct_x as select 0 as cost")  # a DuckDB build's table of the same name
    read_as_views(conn, lake, [("marts", "fct_x")])
    assert conn.execute("select cost, cast(day as varchar) from marts.fct_x").fetchall() == [(1.5, "2026-10-01")]
