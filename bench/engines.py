"""``--engine spark``: the whole dbt project built from one warehouse's raw layer on DuckDB and on Spark, side by side.

DuckDB builds a copy of the warehouse (``--full-refresh``: every model from all its history, as Spark's first build
must); Spark reads the same raw layer published to a Parquet lake (the publish is timed apart) and builds it with
dbt-spark in-process, on the master the ``spark:`` settings name (``local[2]`` by default). Each build is a fresh dbt
process; its seconds are split by what dbt reports (seeds, models, data tests, unit tests, the run-start hook that
registers the lake) and the rest (dbt's start, parsing, Spark's start-up), with the slowest models of each engine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import duckdb

from pipelines.config import SparkConfig
from pipelines.lib import spark_engine
from pipelines.lib.dbt_manifest import dbt_executable
from pipelines.lib.dbt_project import DBT_PROJECT_DIR
from pipelines.lib.dbt_run import WAREHOUSE_ENV
from warehouse.lake import publish

PHASES = {"seed": "seeds", "model": "models", "test": "data tests", "unit_test": "unit tests",
          "operation": "run-start hook"}


def _dbt_build(env: dict[str, str], args: list[str], target: Path) -> dict[str, object]:
    cmd = [dbt_executable(), "build", *args, "--target-path", str(target), "--log-path", str(target)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=DBT_PROJECT_DIR, env={**os.environ, **env}, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"dbt build {' '.join(args)} failed:\n{done.stdout[-4000:]}")
    results = json.loads((target / "run_results.json").read_text())["results"]
    phases: dict[str, float] = defaultdict(float)
    models: dict[str, float] = {}
    for r in results:
        kind = r["unique_id"].split(".")[0]
        phases[PHASES.get(kind, kind)] += r["execution_time"]
        if kind == "model":
            models[r["unique_id"].split(".")[-1]] = r["execution_time"]
    accounted = sum(phases.values())
    return {"seconds": round(seconds, 2), "nodes": len(results),
            "phases": {**{k: round(v, 2) for k, v in phases.items()},
                       "start-up and parsing": round(seconds - accounted, 2)},
            "slowest_models": {k: round(v, 2) for k, v in sorted(models.items(), key=lambda kv: -kv[1])[:5]}}


def compare_engines(warehouse: Path, work: Path, spark: SparkConfig | None = None) -> dict[str, object]:
    """DuckDB's and Spark's builds of every model and test from ``warehouse``'s raw layer (the file is not changed)."""
    spark = spark or SparkConfig()
    work.mkdir(parents=True, exist_ok=True)
    copy = work / "duckdb_build.duckdb"
    shutil.copyfile(warehouse, copy)
    duck = _dbt_build({WAREHOUSE_ENV: str(copy)}, ["--full-refresh"], work / "duckdb_target")

    lake = work / "lake"
    t0 = time.perf_counter()
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        published = publish(conn, lake)
    publish_s = time.perf_counter() - t0
    lake_bytes = sum(p.stat().st_size for p in lake.rglob("*.parquet"))
    on_spark = _dbt_build(spark_engine.dbt_environment(lake, spark), [*spark_engine.dbt_arguments(spark), "--full-refresh"],
                          work / "spark_target")
    return {"master": spark.master, "driver_memory": spark.driver_memory,
            "publish": {"seconds": round(publish_s, 2), "tables": len(published),
                        "partitions_written": sum(p.partitions_written for p in published),
                        "rows": sum(p.rows_written for p in published), "mib": round(lake_bytes / 2**20, 1)},
            "duckdb": duck, "spark": on_spark,
            "ratio": round((publish_s + on_spark["seconds"]) / duck["seconds"], 2)}


def print_comparison(c: dict[str, object]) -> None:
    p = c["publish"]
    print(f"engines: the whole dbt project ({c['duckdb']['nodes']} nodes) from the history's raw layer; "
          f"Spark {c['master']}, driver memory {c['driver_memory']}")
    print(f"    raw layer to the lake: {p['tables']} tables, {p['partitions_written']} partitions, {p['rows']:,} rows, "
          f"{p['mib']} MiB in {p['seconds']:.2f} s")
    for name in ("duckdb", "spark"):
        e = c[name]
        print(f"    {name:<6} dbt build {e['seconds']:.2f} s: "
              + ", ".join(f"{k} {v:.2f} s" for k, v in e["phases"].items()))
        print("           slowest models: " + ", ".join(f"{k} {v:.2f} s" for k, v in e["slowest_models"].items()))
    print(f"    Spark (publish + build) / DuckDB: {c['ratio']:.2f}x")
