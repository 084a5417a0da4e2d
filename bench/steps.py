"""The steps the harness times: inputs at a scale, infraledger's loaders and DuckDB's raw loads of the same files,
the dbt build and the daily run. Each timed step runs in a child process: (rows, seconds, peak RSS bytes)."""

from __future__ import annotations

import csv
import json
import math
import multiprocessing as mp
import os
import queue
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from bench.billing_ingest import _scaled
from bench.telemetry_ingest import RAW_POINTS_SQL, generate

REPO = Path(__file__).resolve().parents[1]
METRICS = 10
Result = tuple[int, float, int]


@dataclass(frozen=True)
class Figures:
    step: str
    rows: int
    seconds: float
    peak_rss: int
    raw_seconds: float | None

    @classmethod
    def of(cls, step: str, ours: Result, raw: Result | None) -> Figures:
        return cls(step, ours[0], ours[1], ours[2], raw[1] if raw else None)

    def as_dict(self) -> dict[str, object]:
        return {"step": self.step, "rows": self.rows, "seconds": round(self.seconds, 2),
                "rows_per_s": round(self.rows / self.seconds) if self.seconds else 0,
                "peak_rss_mib": self.peak_rss // 2**20,
                "raw_seconds": None if self.raw_seconds is None else round(self.raw_seconds, 2),
                "ratio_to_raw": None if not self.raw_seconds else round(self.seconds / self.raw_seconds, 2)}


# --- inputs -------------------------------------------------------------------------------------------------------

def _gcp_copies(files: list[Path], rows: int, out: Path, tag: str = "") -> Path:
    """NDJSON with ``rows`` export rows: the sample's rows repeated, each copy labelled (``tag`` + copy number) so no
    row repeats, in this file or in another file of another tag."""
    base = [json.loads(line) for f in files for line in f.read_text().splitlines() if line.strip()]
    with out.open("w") as fh:
        for i in range(rows):
            rec = dict(base[i % len(base)])
            rec["labels"] = [*(rec.get("labels") or []), {"key": "bench_copy", "value": f"{tag}{i // len(base)}"}]
            fh.write(json.dumps(rec) + "\n")
    return out


def bms_day(out: Path, day: date, pdus: int) -> Path:
    """One day of per-minute kW readings for ``pdus`` PDUs and the utility meter, as a BMS CSV."""
    start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    with out.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["timestamp", "site", "room", "rack", "pdu", "kw"])
        for minute in range(1440):
            ts = (start + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%SZ")
            w.writerow([ts, "bench-site", "", "", "utility-main", f"{pdus * 4.2:.3f}"])
            for p in range(pdus):
                w.writerow([ts, "bench-site", "hall-1", f"rack-{p // 2:03d}", f"pdu-{p:03d}",
                            f"{3 + (p * 7 + minute) % 100 / 50:.3f}"])
    return out


def prepare_inputs(work: Path, *, cur_rows: int, gpus: int) -> dict[str, object]:
    """CUR month (one Parquet file), GCP export (NDJSON), one day of DCGM history, one day of BMS power."""
    from collectors.aws.cur import fetch_delivery, find_deliveries, latest_deliveries
    from collectors.samples.aws_cur import EXPORT_NAME
    from collectors.samples.writer import write_samples
    from collectors.storage import LocalStore

    samples = work / "samples"
    write_samples(samples, start=date(2026, 10, 1), days=3, seed=42)
    store = LocalStore(samples / "aws_cur")
    delivery = latest_deliveries(find_deliveries(store, EXPORT_NAME))["2026-10"]
    files = fetch_delivery(store, delivery, work / "landing")
    base_rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    cur = _scaled(files, math.ceil(cur_rows / base_rows), work / "cur_month.parquet")
    gcp = _gcp_copies(sorted((samples / "gcp_billing").rglob("*.ndjson")), max(1_000, cur_rows // 4),
                      work / "gcp_export.ndjson")
    dcgm = generate(work / "query_range", gpus, METRICS, 60)
    bms = bms_day(work / "bms.csv", date(2026, 10, 1), max(2, gpus // 8))
    return {"samples": str(samples), "cur": str(cur), "gcp": str(gcp), "dcgm": [(m, str(p)) for m, p in dcgm], "bms": str(bms),
            "day": "2026-10-01", "gcp_samples": [str(f) for f in sorted((samples / "gcp_billing").rglob("*.ndjson"))],
            "gcp_day_rows": max(100, cur_rows // 4 // 30)}


# --- the timed steps (each runs in a child process) ---------------------------------------------------------------

def _conn(wh: str) -> duckdb.DuckDBPyConnection:
    """A connection as the loaders get one (the warehouse's memory limit included)."""
    from warehouse.connection import connect, writer_settings
    from warehouse.schema import apply_ddl

    conn = connect(wh, config=writer_settings())
    apply_ddl(conn)
    return conn


def ours_cur(wh: str, inp: dict) -> int:
    from warehouse.loaders.aws_cur import load_cur_delivery

    conn = _conn(wh)
    try:
        return load_cur_delivery(conn, billing_period="2026-10", delivery_id="bench", files=[Path(inp["cur"])]).rows_read
    finally:
        conn.close()


def ours_gcp(wh: str, inp: dict) -> int:
    from warehouse.loaders.gcp_billing import load_gcp_export_files

    conn = _conn(wh)
    try:
        return load_gcp_export_files(conn, table_name=inp.get("gcp_table", "bench"), files=[Path(inp["gcp"])]).rows_read
    finally:
        conn.close()


def ours_dcgm(wh: str, inp: dict) -> int:
    from warehouse.loaders.prometheus import load_query_range_days

    conn = _conn(wh)
    try:  # as the pipeline loads a day: every metric's answers, batched
        return sum(r.rows_loaded for r in load_query_range_days(conn, [(m, inp["day"], [Path(f)])
                                                                       for m, f in inp["dcgm"]]))
    finally:
        conn.close()


def ours_dcgm_http(wh: str, inp: dict) -> int:
    """The same day of DCGM history backfilled from a Prometheus on loopback (``inp["prometheus_url"]``)."""
    from bench.prometheus_http import backfill_day_over_http

    conn = _conn(wh)
    try:
        return backfill_day_over_http(conn, inp["prometheus_url"], [m for m, _ in inp["dcgm"]], inp["day"],
                                      Path(wh).parent / "landing_http", inp["max_concurrent_requests"])
    finally:
        conn.close()


def ours_power(wh: str, inp: dict) -> int:
    from warehouse.loaders.power import load_bms_day

    conn = _conn(wh)
    try:
        return load_bms_day(conn, day=inp["day"], files=[Path(inp["bms"])]).rows_read
    finally:
        conn.close()


def _raw(wh: str, sql: str, params: list) -> int:
    conn = duckdb.connect(wh)
    conn.execute("set enable_progress_bar = false")  # it would write into the figures' stdout
    try:
        conn.execute(f"create or replace table t as {sql}", params)
        return conn.execute("select count(*) from t").fetchone()[0]
    finally:
        conn.close()


def raw_cur(wh: str, inp: dict) -> int:
    return _raw(wh, "select * from read_parquet(?)", [inp["cur"]])


def raw_gcp(wh: str, inp: dict) -> int:
    return _raw(wh, "select * from read_json(?, format = 'newline_delimited')", [inp["gcp"]])


def raw_dcgm(wh: str, inp: dict) -> int:
    return _raw(wh, RAW_POINTS_SQL, [[f for _, f in inp["dcgm"]]])


def raw_power(wh: str, inp: dict) -> int:
    return _raw(wh, "select * from read_csv(?, all_varchar = true)", [inp["bms"]])


def our_steps() -> list[tuple[str, Callable]]:
    return [("CUR 2.0 month ingest", ours_cur), ("GCP export ingest", ours_gcp),
            ("DCGM history, one day", ours_dcgm), ("facility power, one day", ours_power)]


def raw_steps() -> dict[str, Callable]:
    return {"CUR 2.0 month ingest": raw_cur, "GCP export ingest": raw_gcp, "DCGM history, one day": raw_dcgm,
            "facility power, one day": raw_power}


def _child(fn: Callable, wh: str, inp: dict, q: mp.Queue) -> None:
    t0 = time.perf_counter()
    rows = fn(wh, inp)
    secs = time.perf_counter() - t0
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    q.put((rows, secs, peak * 1024))


def in_child(fn: Callable, wh: Path, inp: dict) -> Result:
    """Run ``fn(wh, inputs)`` in a fresh process: (rows it reports, seconds, peak RSS of it or its subprocesses)."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(fn, str(wh), inp, q))
    p.start()
    while True:  # a child that dies before answering (an exception, the OOM killer) must not leave us waiting
        try:
            result = q.get(timeout=1.0)
            break
        except queue.Empty:
            if not p.is_alive():
                raise RuntimeError(f"{fn.__name__} failed in its process (exit {p.exitcode})") from None
    p.join()
    if p.exitcode:
        raise RuntimeError(f"{fn.__name__} failed in its process (exit {p.exitcode})")
    return result


# --- the daily run after N days of history, through Dagster ---------------------------------------------------------

def _dagster_day(config: str, inp: dict) -> dict:
    from bench.dagster_daily import daily_run

    figures = daily_run(config, inp["day"])
    # whose peak it is: the run's own process (the loaders, the GX frames) or its largest subprocess (dbt); a
    # subprocess forked from a large process may count that process's pages until it execs
    figures["peak_rss_mib_of"] = {"dagster process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                                  "largest subprocess": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}
    return figures


def _day_files(folder: Path, inputs: dict, d: date, gpus: int) -> dict:
    """The day's feed files: its GCP export rows (labelled by day, so no row repeats another day's), one DCGM
    answer per metric, one BMS CSV."""
    gcp = _gcp_copies([Path(f) for f in inputs["gcp_samples"]], inputs["gcp_day_rows"], folder / f"gcp-{d}.ndjson",
                      tag=f"{d}-")
    return {"day": d.isoformat(), "gcp": gcp, "dcgm": generate(folder / "query_range", gpus, METRICS, 60, day=d.isoformat()),
            "bms": bms_day(folder / f"bms-{d}.csv", d, max(2, gpus // 8))}


def _run_day(folder: Path, site: Path, config: Path, inputs: dict, d: date, gpus: int) -> tuple[dict, int]:
    from bench.dagster_daily import add_day, drop_day

    files = _day_files(folder, inputs, d, gpus)
    add_day(site, files["day"], files["gcp"], files["dcgm"], files["bms"])
    figures, _, peak = in_child(_dagster_day, config, {"day": files["day"]})
    drop_day(site, files["day"])
    return figures, peak


def daily_runs(folder: Path, inputs: dict, *, gpus: int, history: list[int], start: date) -> list[dict[str, object]]:
    """One warehouse grows day by day through the product's own daily run (untimed), and at each history length N
    of ``history`` day N+1 is timed: the daily schedule's three jobs (the CUR month re-delivered, the day's GCP
    export, telemetry, power and the small sources) and then the dbt models, materialized by Dagster in a fresh
    process (its peak RSS is the run's); seconds are the jobs' own, without the process start."""
    from bench.dagster_daily import lay_out_site

    folder.mkdir(parents=True, exist_ok=True)
    config = lay_out_site(folder / "site", Path(inputs["samples"]), Path(inputs["cur"]))
    loaded = 0
    results = []
    for n in sorted(set(history)):
        while loaded < n:  # history is made the way it accrues: one daily run a day
            _run_day(folder, config.parent, config, inputs, start + timedelta(days=loaded), gpus)
            loaded += 1
        figures, peak = _run_day(folder, config.parent, config, inputs, start + timedelta(days=loaded), gpus)
        loaded += 1
        jobs = figures["jobs"]
        dbt = jobs["dbt build (every model and test)"]
        slowest = sorted(figures["ops"].items(), key=lambda kv: -kv[1])[:8]
        results.append({"history_days": n, "rows": figures["rows"], "seconds": round(sum(jobs.values()), 2),
                        "load_seconds": round(sum(jobs.values()) - dbt, 2), "dbt_seconds": round(dbt, 2),
                        "jobs": {k: round(v, 2) for k, v in jobs.items()},
                        "slowest_ops": {k: round(v, 2) for k, v in slowest},
                        # every op's seconds (the printed table shows the slowest): where a run's time goes
                        "ops": {k: round(v, 2) for k, v in sorted(figures["ops"].items(), key=lambda kv: -kv[1])},
                        "checks_failed": figures["checks_failed"],
                        "peak_rss_mib": peak // 2**20, "peak_rss_mib_of": figures["peak_rss_mib_of"]})
    return results
