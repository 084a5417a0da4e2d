"""The daily run as production runs it: the three jobs the daily schedule starts (the billing month, the day's feeds,
the unpartitioned sources) and then the dbt models, materialized in-process by Dagster from a configuration whose
sources read the bench's files, laid out as each source reads them (a CUR delivery with its manifest, a GCP export
folder, saved ``query_range`` answers, BMS CSVs). A figure here is the product's figure; each op's time comes from
the run's own event log."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from collectors.samples.aws_cur import EXPORT_NAME

CONFIG = """\
# Written by the benchmark: every source reads its files under data/samples (the defaults), laid out by bench
billing_start_month: "2026-10"
"""
JOBS = ("daily_ingestion_billing", "daily_ingestion_feeds", "daily_ingestion_sources")


def lay_out_site(site: Path, samples: Path, cur: Path) -> Path:
    """A folder with ``infraledger.yaml`` and ``data/samples``: the sample sources, with the latest October CUR
    delivery holding the scaled month and the daily feeds (GCP export, Prometheus answers, BMS CSVs) emptied for
    the bench's days. Returns the configuration file."""
    root = site / "data" / "samples"
    shutil.copytree(samples, root)
    for feed in ("gcp_billing", "prometheus/query_range", "power/bms"):
        for path in (root / feed).iterdir():
            if path.is_dir() and feed == "gcp_billing":
                for f in path.iterdir():
                    f.unlink()
            elif path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    _redeliver(root / "aws_cur", cur)
    config = site / "infraledger.yaml"
    config.write_text(CONFIG)
    return config


def _redeliver(location: Path, cur: Path) -> None:
    """The latest 2026-10 delivery's data becomes the scaled month: one file at its first key, the manifest's row
    count and file list updated (the loader checks both)."""
    manifests = sorted((location / EXPORT_NAME / "metadata" / "BILLING_PERIOD=2026-10").glob("*/*-Manifest.json"))
    manifest_path = manifests[-1]
    manifest = json.loads(manifest_path.read_text())
    local = [location / EXPORT_NAME / key.split(f"/{EXPORT_NAME}/", 1)[1] for key in manifest["dataFiles"]]
    for f in local:
        f.unlink()
    shutil.copyfile(cur, local[0])
    manifest["dataFiles"] = manifest["dataFiles"][:1]
    manifest["rowCount"] = pq.ParquetFile(cur).metadata.num_rows
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def add_day(site: Path, day: str, gcp: Path, dcgm: list[tuple[str, str]], bms: Path) -> None:
    """The day's feed files, moved where their sources read them."""
    root = site / "data" / "samples"
    [gcp_table] = (root / "gcp_billing").iterdir()
    shutil.move(gcp, gcp_table / f"export_date={day}.ndjson")
    for metric, path in dcgm:
        dest = root / "prometheus" / "query_range" / metric / f"{day}.json"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, dest)
    shutil.move(bms, root / "power" / "bms" / f"meter-readings-{day}.csv")


def drop_day(site: Path, day: str) -> None:
    """The day's telemetry answers and BMS CSV once loaded (their partitions are never re-read by later days)."""
    root = site / "data" / "samples"
    for path in (root / "prometheus" / "query_range").glob(f"*/{day}.json"):
        path.unlink()
    (root / "power" / "bms" / f"meter-readings-{day}.csv").unlink(missing_ok=True)


def daily_run(config: str, day: str) -> dict[str, object]:
    """Materialize the day as the schedule and the marts' automation would: the three daily jobs (yesterday = ``day``),
    then every dbt model. Runs in the calling process; returns rows loaded, seconds per job and per op, and the
    checks that failed (the bench's data is synthetic: a failed check is reported, as the product reports it)."""
    os.environ["INFRALEDGER_CONFIG"] = config
    import dagster as dg

    from pipelines.config import current_config
    from pipelines.definitions import defs
    from pipelines.partitions import month_key
    from pipelines.runner import prepare_dagster_home

    cfg = current_config()
    prepare_dagster_home(cfg)
    definitions = defs()
    the_day = date.fromisoformat(day)
    keys = {"daily_ingestion_billing": month_key(the_day), "daily_ingestion_feeds": day,
            "daily_ingestion_sources": None}
    timings: dict[str, float] = {}
    ops: dict[str, float] = defaultdict(float)
    rows = 0
    failed: list[str] = []
    checks_failed: set[str] = set()
    with dg.DagsterInstance.get() as instance:
        runs = [(name, definitions.resolve_job_def(name), keys[name], None) for name in JOBS]
        runs.append(("dbt build (every model and test)", definitions.resolve_implicit_global_asset_job_def(), None,
                     dg.AssetSelection.kind("dbt").resolve(definitions.resolve_asset_graph())))
        for label, job, partition, selection in runs:
            t0 = time.perf_counter()
            result = job.execute_in_process(partition_key=partition, instance=instance, raise_on_error=False,
                                            asset_selection=sorted(selection) if selection else None,
                                            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}})
            timings[label] = time.perf_counter() - t0
            if not result.success:
                failed.append(label)
            checks_failed |= {f"{e.asset_key.to_user_string()}:{e.check_name}"
                              for e in result.get_asset_check_evaluations() if not e.passed}
            rows += sum(int(m.metadata["rows_loaded"].value) for m in result.get_asset_materialization_events()
                        for m in [m.event_specific_data.materialization] if "rows_loaded" in m.metadata)
            for step, seconds in _step_seconds(instance, result.run_id).items():
                ops[step] += seconds
    if failed:
        raise RuntimeError(f"the daily run of {day} failed in {', '.join(failed)} (see {cfg.dagster_home})")
    return {"rows": rows, "jobs": timings, "ops": dict(ops), "checks_failed": sorted(checks_failed)}


def _step_seconds(instance, run_id: str) -> dict[str, float]:
    """Seconds from each step's start to its success, from the run's event log."""
    import dagster as dg

    started: dict[str, float] = {}
    out: dict[str, float] = {}
    for entry in instance.all_logs(run_id, of_type={dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS}):
        step = entry.step_key
        if entry.dagster_event.event_type == dg.DagsterEventType.STEP_START:
            started[step] = entry.timestamp
        elif step in started:
            out[step] = entry.timestamp - started[step]
    return out
