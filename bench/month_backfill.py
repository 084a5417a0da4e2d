"""A month's backfill as a user runs it (``infraledger backfill --from 2026-10-01 --to 2026-10-31``), from APIs on
loopback: the CUR deliveries and the GCP export in S3 (a moto server), spot prices from EC2 (the same moto server),
DCGM history from Prometheus (``bench.prometheus_http.QueryRangeServer``), BMS power from its CSV folder. The plan's
runs (the month's daily feeds, the billing month, the unpartitioned sources and the dbt models, the month's reports)
are timed one by one, in one process, from the run's own start to its end."""

from __future__ import annotations

import logging
import os
import time
from datetime import date, timedelta
from pathlib import Path

import boto3
import yaml
from moto.server import ThreadedMotoServer

BUCKET = "infraledger-bench"
MONTH_START = date(2026, 10, 1)


def _upload(s3, folder: Path, prefix: str) -> int:
    """Every file under ``folder`` to ``s3://BUCKET/<prefix>/<its relative path>``; returns how many."""
    n = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        s3.upload_file(str(path), BUCKET, f"{prefix}/{path.relative_to(folder).as_posix()}")
        n += 1
    return n


def lay_out_month(folder: Path, inputs: dict, *, gpus: int, days: int, s3_endpoint: str,
                  prometheus_url: str) -> Path:
    """The site of the backfill: the sample sources with the month's CUR delivery (``inputs["cur"]``) and ``days``
    days of GCP export in S3, ``days`` days of DCGM answers where the loopback Prometheus serves them
    (``folder/query_range``) and of BMS CSVs in the power folder. Returns the configuration file."""
    from bench.dagster_daily import lay_out_site
    from bench.steps import _day_files

    config = lay_out_site(folder / "site", Path(inputs["samples"]), Path(inputs["cur"]))
    samples = config.parent / "data" / "samples"
    [gcp_table] = (samples / "gcp_billing").iterdir()
    for i in range(days):
        d = MONTH_START + timedelta(days=i)
        files = _day_files(folder, inputs, d, gpus)  # DCGM answers land in folder/query_range/<metric>/<day>.json
        Path(files["gcp"]).rename(gcp_table / f"export_date={d}.ndjson")
        Path(files["bms"]).rename(samples / "power" / "bms" / f"meter-readings-{d}.csv")
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    _upload(s3, samples / "aws_cur", "aws_cur")
    _upload(s3, samples / "gcp_billing", "gcp_billing")
    settings = {
        "billing_start_month": f"{MONTH_START:%Y-%m}",
        "sources": {
            "aws_cur": {"location": f"s3://{BUCKET}/aws_cur", "endpoint_url": s3_endpoint},
            "gcp_billing": {"location": f"s3://{BUCKET}/gcp_billing", "endpoint_url": s3_endpoint},
            "spot_prices": {"location": "api", "endpoint_url": s3_endpoint},
            # the default metrics and the bench's two temperature series (a user who wants them lists them too)
            "prometheus": {"location": prometheus_url, "metrics": _metrics(folder / "query_range")},
        },
    }
    config.write_text("# Written by the benchmark: a month's backfill from loopback S3, EC2 and Prometheus\n"
                      + yaml.safe_dump(settings, sort_keys=False))
    return config


def _metrics(answers: Path) -> list[str]:
    from pipelines.config import PrometheusSource

    default = list(PrometheusSource.model_fields["metrics"].default)
    return default + sorted(p.name for p in answers.iterdir() if p.name not in default)


def _backfill(config: str, inp: dict) -> dict:
    """Runs in the bench's child process: the backfill plan of ``inp["first"]..inp["last"]``, each run timed."""
    os.environ["INFRALEDGER_CONFIG"] = config
    import dagster as dg

    from pipelines.backfill import plan, run_step
    from pipelines.config import current_config
    from pipelines.definitions import defs
    from pipelines.runner import prepare_dagster_home

    prepare_dagster_home(current_config())
    definitions = defs()
    steps = plan(definitions, date.fromisoformat(inp["first"]), date.fromisoformat(inp["last"]))
    timed: list[dict[str, object]] = []
    with dg.DagsterInstance.get() as instance:
        for step in steps:
            t0 = time.perf_counter()
            summary = run_step(definitions, step, instance)
            timed.append({"step": step.label, "seconds": round(time.perf_counter() - t0, 2),
                          "ok": summary.success, "checks_failed": summary.checks_failed})
        cfg = current_config()
        if cfg.warehouse.read_snapshot:  # as `infraledger backfill` ends
            from warehouse.snapshot import publish

            t0 = time.perf_counter()
            publish(cfg.warehouse_path, wait_s=cfg.warehouse.lock_wait_s)
            timed.append({"step": "read snapshot published", "seconds": round(time.perf_counter() - t0, 2),
                          "ok": True, "checks_failed": []})
    failed = [s["step"] for s in timed if not s["ok"]]
    if failed:
        raise RuntimeError(f"the backfill failed in {', '.join(failed)} (see {cfg.dagster_home})")
    return {"steps": timed, "rows": _rows_landed(cfg.warehouse_path)}


def _rows_landed(warehouse: Path) -> dict[str, int]:
    """What the backfill left in the warehouse's main tables, to show it did the whole work."""
    import duckdb

    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {table: conn.execute(f"select count(*) from {table}").fetchone()[0]
                for table in ("raw.aws_cur_line_items", "raw.gcp_billing_export", "raw.prometheus_samples",
                              "raw.power_readings", "raw.aws_spot_prices", "marts.fct_cost")}
    finally:
        conn.close()


def month_backfill(folder: Path, *, scale: float, days: int, cur_rows: int, gpus: int) -> dict[str, object]:
    """Lay out ``days`` days of October 2026 (``cur_rows`` CUR rows in the month, ``gpus`` GPUs: the fleet at
    ``scale``) behind loopback S3/EC2/Prometheus and time its backfill in a child process: total seconds, seconds
    per run of the plan, peak RSS, the data's size."""
    from bench.prometheus_http import QueryRangeServer
    from bench.steps import METRICS, in_child, prepare_inputs

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench-secret")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    inputs = prepare_inputs(folder / "inputs", cur_rows=cur_rows, gpus=gpus)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        with QueryRangeServer(folder / "query_range") as prometheus:
            config = lay_out_month(folder, inputs, gpus=gpus, days=days, s3_endpoint=f"http://{host}:{port}",
                                   prometheus_url=prometheus.endpoint)
            last = MONTH_START + timedelta(days=days - 1)
            figures, seconds, peak = in_child(_backfill, config, {"first": MONTH_START.isoformat(),
                                                                  "last": last.isoformat()})
            requests = prometheus.requests
    finally:
        moto.stop()
    return {"scale": scale, "days": days, "seconds": round(seconds, 2), "steps": figures["steps"],
            "rows": figures["rows"],
            "cur_rows": cur_rows, "gpus": gpus, "dcgm_points": gpus * METRICS * 1440 * days,
            "prometheus_requests": requests, "peak_rss_mib": peak // 2**20}
