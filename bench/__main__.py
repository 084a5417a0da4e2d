"""The benchmark harness: ``python -m bench --scale S`` (scale 1 = 2 million CUR line items a month, 512 GPUs scraped
each minute: about 7.4 million telemetry points a day).

It generates data at that scale, times each heavy loader of infraledger and, on the same files, DuckDB doing the raw
work alone (``CREATE TABLE AS SELECT ... FROM read_parquet / read_json / read_csv``), each step in its own process
so its peak memory (max RSS) is its own; then the daily run as production runs it (bench/dagster_daily.py): the
daily schedule's three Dagster jobs (the CUR month re-delivered, one new day of GCP export, telemetry, power and
the small sources) and the dbt models, materialized in-process, after 1, 10 and 30 days of history in one warehouse
that grows day by day, with each job's and the slowest ops' seconds; and a month's backfill at
``--backfill-scale`` (0.1 by default) from S3, EC2 and Prometheus on loopback (bench/month_backfill.py), with
each run's seconds. Prints a table and every target of issue 22 beside its measurement, or JSON with ``--json``.

    .venv/bin/python -m bench --scale 0.05 [--history 1,10,30] [--backfill-scale 0.1] [--keep DIR] [--json]
    .venv/bin/python -m bench --engine spark --scale 0.1 [--history 1] [--backfill-scale 0]   (bench/engines.py)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from datetime import date
from pathlib import Path

from bench.engines import compare_engines, print_comparison
from bench.month_backfill import month_backfill
from bench.prometheus_http import QueryRangeServer
from bench.steps import Figures, daily_runs, in_child, our_steps, ours_dcgm_http, prepare_inputs, raw_steps
from bench.targets import print_verdicts, verdicts
from bench.workdir import fresh_workdir

CUR_ROWS_PER_MONTH = 2_000_000
GPUS = 512


def _cur_rows(scale: float) -> int:
    return max(1_000, int(CUR_ROWS_PER_MONTH * scale))


def _gpus(scale: float) -> int:
    return max(8, int(GPUS * scale))


def _print(figures: dict[str, object]) -> None:
    print(f"scale {figures['scale']}: {figures['cur_rows']:,} CUR rows, {figures['gpus']} GPUs; "
          f"cpu count {figures['cpu_count']}; inputs generated in {figures['generate_s']} s")
    print(f"{'step':<34} {'rows':>12} {'seconds':>8} {'rows/s':>11} {'raw DuckDB s':>12} {'ratio':>6} {'peak RSS':>9}")
    for s in figures["steps"]:
        raw = "-" if s["raw_seconds"] is None else f"{s['raw_seconds']:.2f}"
        ratio = "-" if s["ratio_to_raw"] is None else f"{s['ratio_to_raw']:.2f}"
        print(f"{s['step']:<34} {s['rows']:>12,} {s['seconds']:>8.2f} {s['rows_per_s']:>11,} {raw:>12} {ratio:>6} "
              f"{s['peak_rss_mib']:>6,} MiB")
    h = figures["prometheus_http"]
    print(f"DCGM day over HTTP (loopback Prometheus, {h['max_concurrent_requests']} requests at once): "
          f"{h['points']:,} points in {h['seconds']:.2f} s = {h['points_per_s']:,} points/s "
          f"({h['ratio_to_saved_files']:.2f}x the same answers from saved files), {h['requests']} requests, "
          f"peak RSS {h['peak_rss_mib']:,} MiB")
    for d in figures["daily_run"]:
        print(f"daily run (Dagster) after {d['history_days']:>2} days of history: {d['seconds']:.2f} s "
              f"(ingestion jobs {d['load_seconds']:.2f} s, dbt {d['dbt_seconds']:.2f} s), "
              f"peak RSS {d['peak_rss_mib']:,} MiB ("
              + ", ".join(f"{k} {v:,}" for k, v in d.get("peak_rss_mib_of", {}).items()) + f"), {d['rows']:,} rows loaded")
        print("    jobs: " + ", ".join(f"{k} {v:.2f} s" for k, v in d["jobs"].items()))
        print("    slowest ops: " + ", ".join(f"{k} {v:.2f} s" for k, v in d["slowest_ops"].items()))
        gx = [v for k, v in d.get("ops", {}).items() if k.endswith(("__gx_suite", "__gx_suites"))]
        print(f"    great-expectations suites: {sum(gx):.2f} s in {len(gx)} steps; every op's seconds are in --json")
        if d["checks_failed"]:
            print(f"    checks failed on the synthetic data: {', '.join(d['checks_failed'])}")
    if b := figures.get("backfill"):
        print(f"month backfill from loopback S3, EC2 and Prometheus, {b['days']} days at scale {b['scale']} "
              f"({b['cur_rows']:,} CUR rows, {b['gpus']} GPUs, {b['dcgm_points']:,} DCGM points, "
              f"{b['prometheus_requests']} query_range requests): {b['seconds']:.2f} s, peak RSS {b['peak_rss_mib']:,} MiB")
        print("    runs: " + ", ".join(f"{s['step']} {s['seconds']:.2f} s" for s in b["steps"]))
    if c := figures.get("engines"):
        print_comparison(c)
    print()
    print_verdicts(figures)


def _over_http(work: Path, inputs: dict, from_files: Figures, concurrency: int = 4) -> dict[str, object]:
    """The same day of DCGM answers backfilled from a Prometheus on loopback (served by this process), beside
    their load from saved files."""
    with QueryRangeServer(work / "query_range") as server:
        rows, seconds, peak = in_child(ours_dcgm_http, work / "warehouse_http.duckdb",
                                       {**inputs, "prometheus_url": server.endpoint,
                                        "max_concurrent_requests": concurrency})
        requests = server.requests
    return {"points": rows, "seconds": round(seconds, 2), "points_per_s": round(rows / seconds),
            "saved_files_seconds": round(from_files.seconds, 2),
            "ratio_to_saved_files": round(seconds / from_files.seconds, 2), "requests": requests,
            "max_concurrent_requests": concurrency, "peak_rss_mib": peak // 2**20}


def _growth(base: dict, figures: dict) -> dict[str, object] | None:
    """The daily run after one day of history at this scale against the base run's."""
    one = lambda f: next((d for d in f.get("daily_run", []) if d["history_days"] == 1), None)  # noqa: E731
    a, b = one(base), one(figures)
    if not a or not b:
        return None
    return {"seconds": b["seconds"], "base_seconds": a["seconds"], "ratio": round(b["seconds"] / a["seconds"], 2),
            "scale": figures["scale"], "base_scale": base["scale"]}


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="1 = 2M CUR rows a month, 512 GPUs each minute")
    ap.add_argument("--history", default="1,10,30", help="days of history before the timed daily run (comma list)")
    ap.add_argument("--backfill-scale", type=float, default=0.1,
                    help="scale of the month's backfill from loopback APIs (0 = skip it)")
    ap.add_argument("--backfill-days", type=int, default=31, help="days of October 2026 the backfill covers")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    ap.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                    help="spark: also build the whole dbt project from the history's raw layer on Spark (a Parquet "
                         "lake, dbt-spark) beside DuckDB's build (needs Java 17 and the spark extra)")
    ap.add_argument("--base", type=Path, help="JSON figures of a scale-1 run: the daily run's growth is compared "
                                             "with it (run at --scale 4 for the scale target)")
    args = ap.parse_args(argv)
    work = fresh_workdir(args.keep)
    cur_rows, gpus = _cur_rows(args.scale), _gpus(args.scale)
    t0 = time.perf_counter()
    inputs = prepare_inputs(work, cur_rows=cur_rows, gpus=gpus)
    generate_s = round(time.perf_counter() - t0, 2)

    steps: list[Figures] = []
    wh = work / "warehouse.duckdb"
    for name, fn in our_steps():
        ours = in_child(fn, wh, inputs)
        raw = in_child(raw_steps()[name], work / f"raw_{name}.duckdb", inputs) if name in raw_steps() else None
        steps.append(Figures.of(name, ours, raw))

    http = _over_http(work, inputs, next(s for s in steps if s.step == "DCGM history, one day"))
    history = [int(h) for h in args.history.split(",") if h.strip()]
    daily = daily_runs(work / "history", inputs, gpus=gpus, history=history, start=date(2026, 10, 1))
    figures = {"scale": args.scale, "cur_rows": cur_rows, "gpus": gpus, "cpu_count": os.cpu_count(),
               "generate_s": generate_s, "steps": [s.as_dict() for s in steps], "prometheus_http": http,
               "daily_run": daily,
               "backfill": (month_backfill(work / "backfill", scale=args.backfill_scale, days=args.backfill_days,
                                           cur_rows=_cur_rows(args.backfill_scale), gpus=_gpus(args.backfill_scale))
                            if args.backfill_scale > 0 else None),
               "measured_on": date.today().isoformat()}
    if args.engine == "spark":
        warehouse = next((work / "history").rglob("warehouse.duckdb"))
        figures["engines"] = compare_engines(warehouse, work / "engines")
    if args.base:
        base = json.loads(args.base.read_text())
        figures["scale_growth"] = _growth(base, figures)
    figures["targets"] = verdicts(figures)
    if args.json:
        print(json.dumps(figures))
    else:
        _print(figures)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return figures


if __name__ == "__main__":
    main()
