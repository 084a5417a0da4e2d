"""Telemetry ingest benchmark: one day of DCGM history for a large fleet, loaded by infraledger and, on the same
files, by DuckDB alone (``CREATE TABLE AS SELECT ... FROM read_json``), each in its own process so the peak memory
(max RSS) of each step is its own.

    .venv/bin/python -m bench.telemetry_ingest [--gpus 512] [--metrics 10] [--step-s 60] [--keep DIR] [--json]

Default: 512 GPUs x 10 metrics x 1,440 points = 7,372,800 points, as Prometheus ``query_range`` answers (one file
per metric and day, values as strings, a few NaN).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.workdir import fresh_workdir

METRICS = ("DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_PROF_SM_ACTIVE", "DCGM_FI_PROF_DRAM_ACTIVE",
           "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_POWER_USAGE",
           "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_MEMORY_TEMP",
           "DCGM_FI_DEV_XID_ERRORS")
DAY = "2026-10-01"
# What DuckDB alone does with query_range answers: one row per point, labels kept as JSON, values as doubles.
RAW_POINTS_SQL = """
    with s as (select unnest(data.result) as s from read_json(?, maximum_object_size = 1073741824,
          columns = {'data': 'STRUCT(result STRUCT(metric JSON, "values" VARCHAR[][])[])'}))
    select s.metric as labels, to_timestamp(cast(p[1] as double)) as sample_time, try_cast(p[2] as double) as value
    from (select s, unnest(s."values") as p from s)"""


def generate(folder: Path, gpus: int, metrics: int, step_s: int, day: str = DAY) -> list[tuple[str, Path]]:
    """One query_range answer file per metric for ``day``; returns (metric, file)."""
    t0 = int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())
    n = 86_400 // step_s
    out = []
    for m_i, metric in enumerate((METRICS * (metrics // len(METRICS) + 1))[:metrics]):
        name = metric if m_i < len(METRICS) else f"{metric}_{m_i}"
        path = folder / name / f"{day}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w") as fh:
            fh.write('{"status":"success","data":{"resultType":"matrix","result":[')
            for g in range(gpus):  # a GPU has one UUID in every metric, as dcgm-exporter labels it
                host, idx = divmod(g, 8)
                labels = {"__name__": name, "DCGM_FI_DRIVER_VERSION": "550.90.07", "Hostname": f"gpu-node-{host:03d}",
                          "UUID": f"GPU-{g:08x}-0000-4000-8000-{g:012x}", "device": f"nvidia{idx}",
                          "gpu": str(idx), "instance": f"10.0.{host // 250}.{host % 250}:9400", "job": "dcgm-exporter",
                          "modelName": "NVIDIA H100 80GB HBM3", "namespace": "inference",
                          "pod": f"svc-{host % 7}-5f7d8c9b6d-x2x9q", "container": "vllm"}
                # DCGM_FI_PROF_* are ratios (0..1); the others percent, MiB, W, ... (0..100 here)
                scale = 1000 if "_PROF_" in name else 10
                values = ",".join(
                    f'[{t0 + k * step_s},"{"NaN" if (g + k) % 997 == 0 else (g * 31 + k * 7) % 1000 / scale}"]'
                    for k in range(n))
                fh.write(("," if g else "") + '{"metric":' + json.dumps(labels) + ',"values":[' + values + "]}")
            fh.write("]}}\n")
        out.append((name, path))
    return out


def _ours(wh: str, files: list[tuple[str, str]], q: mp.Queue) -> None:
    import duckdb

    from warehouse.loaders.prometheus import load_query_range_days
    from warehouse.schema import apply_ddl

    conn = duckdb.connect(wh)
    apply_ddl(conn)
    t0 = time.perf_counter()
    rows = sum(r.rows_loaded for r in load_query_range_days(conn, [(metric, DAY, [Path(f)]) for metric, f in files]))
    conn.close()
    q.put((rows, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))


def _raw(wh: str, files: list[tuple[str, str]], q: mp.Queue) -> None:
    import duckdb

    conn = duckdb.connect(wh)
    t0 = time.perf_counter()
    conn.execute(f"create table points as {RAW_POINTS_SQL}", [[f for _, f in files]])
    rows = conn.execute("select count(*) from points").fetchone()[0]
    conn.close()
    q.put((rows, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))


def _in_child(fn, wh: Path, files: list[tuple[str, Path]]) -> tuple[int, float, int]:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=fn, args=(str(wh), [(m, str(f)) for m, f in files], q))
    p.start()
    result = q.get()
    p.join()
    return result


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gpus", type=int, default=512)
    ap.add_argument("--metrics", type=int, default=10)
    ap.add_argument("--step-s", type=int, default=60)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = ap.parse_args(argv)
    work = fresh_workdir(args.keep, "infraledger-bench-telemetry-")
    t0 = time.perf_counter()
    files = generate(work / "query_range", args.gpus, args.metrics, args.step_s)
    gen_s = time.perf_counter() - t0
    size = sum(f.stat().st_size for _, f in files)
    ours = _in_child(_ours, work / "ours.duckdb", files)
    raw = _in_child(_raw, work / "raw.duckdb", files)
    figures = {
        "gpus": args.gpus, "metrics": args.metrics, "step_s": args.step_s, "json_bytes": size,
        "generate_s": round(gen_s, 2), "cpu_count": os.cpu_count(),
        "infraledger": {"rows": ours[0], "seconds": round(ours[1], 2), "rows_per_s": round(ours[0] / ours[1]),
                        "peak_rss_bytes": ours[2]},
        "duckdb_read_json": {"rows": raw[0], "seconds": round(raw[1], 2), "rows_per_s": round(raw[0] / raw[1]),
                             "peak_rss_bytes": raw[2]},
        "ratio_to_raw": round(ours[1] / raw[1], 2),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{args.gpus} GPUs x {args.metrics} metrics at {args.step_s} s: {size / 2**20:,.0f} MiB of JSON, "
              f"generated in {gen_s:.1f} s (cpu count {os.cpu_count()})")
        print(f"{'step':<34} {'rows':>11} {'seconds':>8} {'rows/s':>11} {'peak RSS':>10}")
        for label, key in (("infraledger load (10 metric-days)", "infraledger"), ("DuckDB read_json alone", "duckdb_read_json")):
            f = figures[key]
            print(f"{label:<34} {f['rows']:>11,} {f['seconds']:>8.2f} {f['rows_per_s']:>11,} "
                  f"{f['peak_rss_bytes'] / 2**20:>7,.0f} MiB")
        print(f"ratio infraledger / raw DuckDB: {figures['ratio_to_raw']:.2f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return figures


if __name__ == "__main__":
    main()
