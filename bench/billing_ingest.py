"""Billing ingest benchmark: load a whole sample month (and a scaled-up copy of it) and print time and rows/s.

    .venv/bin/python -m bench.billing_ingest [--days 31] [--scale 40] [--keep DIR]

Steps timed: CUR 2.0 delivery of the month (newest manifest), the same delivery scaled up ``--scale`` times (line
item ids made unique per copy, so nothing is deduplicated away), the GCP export files, and ``dbt build`` over it all.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from collectors.aws.cur import fetch_delivery, find_deliveries, latest_deliveries
from collectors.samples.aws_cur import EXPORT_NAME
from collectors.samples.writer import write_samples
from collectors.storage import LocalStore
from warehouse.loaders.aws_cur import load_cur_delivery
from warehouse.loaders.gcp_billing import load_gcp_export_files
from warehouse.schema import apply_ddl

REPO = Path(__file__).resolve().parents[1]


def _scaled(files: list[Path], scale: int, out: Path) -> Path:
    """One Parquet file holding ``scale`` copies of the delivery, each copy with its own line item ids and resources
    (a fleet ``scale`` times larger, not the same machines billed ``scale`` times)."""
    table = pa.concat_tables([pq.read_table(f) for f in files], promote_options="default")
    copies = []
    for i in range(scale):
        copy = table
        for column in ("identity_line_item_id", "line_item_resource_id"):
            suffixed = pc.if_else(pc.equal(copy[column], ""), copy[column],
                                  pc.binary_join_element_wise(copy[column], pa.scalar(f"-{i}" if i else ""), ""))
            copy = copy.set_column(copy.schema.get_field_index(column), column, suffixed)
        copies.append(copy)
    pq.write_table(pa.concat_tables(copies), out, row_group_size=250_000)
    return out


def _timed(label: str, fn, rows_of) -> tuple[str, int, float]:
    t0 = time.perf_counter()
    result = fn()
    return label, rows_of(result), time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=31, help="sample days (31 = the whole of October 2026)")
    ap.add_argument("--scale", type=int, default=40, help="copies of the month's CUR rows in the scaled load")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    args = ap.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="infraledger-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    samples = work / "samples"
    t0 = time.perf_counter()
    write_samples(samples, start=date(2026, 10, 1), days=args.days, seed=42)
    gen_s = time.perf_counter() - t0

    store = LocalStore(samples / "aws_cur")
    delivery = latest_deliveries(find_deliveries(store, EXPORT_NAME))["2026-10"]
    files = fetch_delivery(store, delivery, work)
    scaled = _scaled(files, args.scale, work / "scaled.parquet")
    gcp_files = sorted((samples / "gcp_billing").rglob("*.ndjson"))

    wh = work / "warehouse.duckdb"
    wh.unlink(missing_ok=True)
    conn = duckdb.connect(str(wh))
    apply_ddl(conn)
    rows = [
        _timed("CUR 2.0 month (newest delivery)", lambda: load_cur_delivery(
            conn, billing_period="2026-10", delivery_id=delivery.execution_id, files=files), lambda r: r.rows_read),
        _timed(f"CUR 2.0 month x{args.scale} (one Parquet file)", lambda: load_cur_delivery(
            conn, billing_period="2026-10", delivery_id="scaled", files=[scaled]), lambda r: r.rows_read),
        _timed("CUR 2.0 month (newest delivery), replacing the scaled load", lambda: load_cur_delivery(
            conn, billing_period="2026-10", delivery_id=delivery.execution_id, files=files), lambda r: r.rows_read),
        _timed("GCP export month (NDJSON files)", lambda: load_gcp_export_files(
            conn, table_name="bench", files=gcp_files), lambda r: r.rows_read),
    ]
    conn.close()
    env = {**os.environ, "INFRALEDGER_WAREHOUSE_PATH": str(wh), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).parent / "dbt"
    t0 = time.perf_counter()
    subprocess.run([str(dbt), "build", "--quiet", "--project-dir", str(REPO / "dbt"), "--profiles-dir",
                    str(REPO / "dbt"), "--target-path", str(work / "dbt_target"), "--log-path", str(work / "dbt_logs")],
                   env=env, check=True)
    dbt_s = time.perf_counter() - t0
    fct_rows = duckdb.connect(str(wh), read_only=True).execute("select count(*) from marts.fct_cost").fetchone()[0]

    print(f"sample month: {args.days} days generated in {gen_s:.1f} s  (cpu count {os.cpu_count()})")
    print(f"{'step':<60} {'rows':>10} {'seconds':>8} {'rows/s':>10}")
    for label, n, secs in rows:
        print(f"{label:<60} {n:>10,} {secs:>8.2f} {n / secs:>10,.0f}")
    print(f"{'dbt build (all models and tests) -> fct_cost rows':<60} {fct_rows:>10,} {dbt_s:>8.2f} {fct_rows / dbt_s:>10,.0f}")
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
