"""The CUR 2.0 loader on a real DuckDB file: replace, dedupe, quarantine, drift, clear errors, rollback."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from collectors.aws.cur import fetch_delivery, find_deliveries, latest_deliveries
from collectors.samples.aws_cur import EXPORT_NAME
from collectors.storage import LocalStore
from tests.cur_totals import dedup_total
from warehouse.connection import writer
from warehouse.loaders.aws_cur import CurFileError, CurSchemaError, load_cur_delivery
from warehouse.schema import ensure_warehouse

pytestmark = pytest.mark.unit


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    return ensure_warehouse(tmp_path / "w.duckdb")


def _deliveries(sample_dir: Path):
    store = LocalStore(sample_dir / "aws_cur")
    return store, find_deliveries(store, EXPORT_NAME)


def _sum(conn: duckdb.DuckDBPyConnection, period: str) -> Decimal:
    return conn.execute(
        "select sum(cast(line_item_unblended_cost as decimal(38,10))) from raw.aws_cur_line_items "
        "where _billing_period = ?", [period]).fetchone()[0]


_independent_total = dedup_total


def test_newest_delivery_is_picked(sample_dir: Path) -> None:
    _, ds = _deliveries(sample_dir)
    latest = latest_deliveries(ds)["2026-10"]
    assert latest == max(ds, key=lambda d: d.delivered_at)


def test_restated_delivery_replaces_the_period(sample_dir: Path, wh: Path, tmp_path: Path) -> None:
    store, (first, second) = _deliveries(sample_dir)
    with writer(wh) as conn:
        r1 = load_cur_delivery(conn, billing_period="2026-10", delivery_id=first.execution_id,
                               files=fetch_delivery(store, first, tmp_path))
        total1 = _sum(conn, "2026-10")
        files2 = fetch_delivery(store, second, tmp_path)
        r2 = load_cur_delivery(conn, billing_period="2026-10", delivery_id=second.execution_id, files=files2)
        n_expected, total_expected = _independent_total(files2)
        assert r2.rows_replaced == r1.rows_loaded
        assert r2.rows_loaded == n_expected
        assert r2.rows_quarantined == r2.rows_read - n_expected > 0
        assert _sum(conn, "2026-10") == total_expected
        assert total_expected != total1
        reasons = conn.execute("select distinct reason from quarantine.aws_cur_line_items").fetchall()
        assert all(r[0].startswith("duplicate line item") for r in reasons)
        # re-running the same delivery changes nothing
        load_cur_delivery(conn, billing_period="2026-10", delivery_id=second.execution_id, files=files2)
        assert _sum(conn, "2026-10") == total_expected
        statuses = conn.execute("select status, count(*) from audit.loads group by 1").fetchall()
        assert statuses == [("success", 3)]


def _write(path: Path, rows: list[dict], drop: tuple[str, ...] = (), add: dict | None = None) -> Path:
    table = pa.Table.from_pylist(rows)
    table = table.drop_columns(list(drop))
    for k, v in (add or {}).items():
        table = table.append_column(k, pa.array([v] * len(table)))
    pq.write_table(table, path)
    return path


def _some_rows(sample_dir: Path, n: int = 10) -> list[dict]:
    _, ds = _deliveries(sample_dir)
    f = sample_dir / "aws_cur" / ds[0].data_keys[0]
    return pq.read_table(f).slice(0, n).to_pylist()


def test_missing_required_column_names_file_and_column(sample_dir: Path, wh: Path, tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.parquet", _some_rows(sample_dir), drop=("line_item_unblended_cost",))
    with writer(wh) as conn, pytest.raises(CurSchemaError, match=r"bad\.parquet.*line_item_unblended_cost"):
        load_cur_delivery(conn, billing_period="2026-10", delivery_id="x", files=[bad])


def test_unknown_column_is_kept_and_missing_optional_defaults(sample_dir: Path, wh: Path, tmp_path: Path) -> None:
    f = _write(tmp_path / "drift.parquet", _some_rows(sample_dir), drop=("product_sku",),
               add={"line_item_brand_new_column": "hello"})
    with writer(wh) as conn:
        r = load_cur_delivery(conn, billing_period="2026-10", delivery_id="x", files=[f])
        assert r.notes["schema_drift_new_columns"] == ["line_item_brand_new_column"]
        extra, sku = conn.execute("select _extra_columns, product_sku from raw.aws_cur_line_items limit 1").fetchone()
        assert json.loads(extra) == {"line_item_brand_new_column": "hello"} and sku is None


def test_truncated_file_fails_clearly_and_keeps_the_previous_load(sample_dir: Path, wh: Path, tmp_path: Path) -> None:
    store, (first, _) = _deliveries(sample_dir)
    good = fetch_delivery(store, first, tmp_path)
    truncated = tmp_path / "truncated.parquet"
    truncated.write_bytes(good[0].read_bytes()[:5000])
    with writer(wh) as conn:
        load_cur_delivery(conn, billing_period="2026-10", delivery_id=first.execution_id, files=good)
        before = _sum(conn, "2026-10")
        with pytest.raises(CurFileError, match="truncated.parquet"):
            load_cur_delivery(conn, billing_period="2026-10", delivery_id="broken", files=[good[1], truncated])
        assert _sum(conn, "2026-10") == before
        failed = conn.execute("select message from audit.loads where status = 'failed'").fetchall()
        assert len(failed) == 1 and "truncated.parquet" in failed[0][0]


def test_rows_without_identity_are_quarantined(sample_dir: Path, wh: Path, tmp_path: Path) -> None:
    rows = _some_rows(sample_dir)
    rows[3]["identity_line_item_id"] = None
    f = _write(tmp_path / "nullid.parquet", rows)
    with writer(wh) as conn:
        r = load_cur_delivery(conn, billing_period="2026-10", delivery_id="x", files=[f])
        assert (r.rows_loaded, r.rows_quarantined) == (9, 1)
        assert conn.execute("select reason, source_row from quarantine.aws_cur_line_items").fetchall() == [
            ("missing identity_line_item_id", 3)]
