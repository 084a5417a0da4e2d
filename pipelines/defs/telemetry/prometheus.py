"""Raw metric history from Prometheus ``query_range``: a daily-partitioned backfill (one run per backfill range);
each (metric, day) is replaced as a whole, so re-running a day is idempotent."""

import datetime as dt
import re
from pathlib import Path

import dagster as dg

from collectors.prometheus.query_range import PrometheusError, fetch
from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.partitions import daily
from pipelines.resources_impl import PrometheusSourceResource, WarehouseResource
from warehouse.loaders.prometheus import load_query_range_day

PROMETHEUS_KEY = dg.AssetKey(["raw", "prometheus_samples"])


def _folder_name(metric: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", metric)


@dg.asset(
    key=PROMETHEUS_KEY, freshness_policy=freshness.DAILY, group_name="telemetry", kinds={"prometheus", "duckdb"}, owners=["team:data-platform"],
    partitions_def=daily, backfill_policy=dg.BackfillPolicy.single_run(), pool="duckdb",
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL),
    check_specs=load_check_specs(PROMETHEUS_KEY),
    description=(
        "GPU and serving metric history (query_range, step configurable, at most 11,000 points per request), one "
        "row per point; NaN kept as NULL, gaps left empty; each (metric, day) replaced as a whole."
    ),
)
def prometheus_samples(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                       prometheus: PrometheusSourceResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        window = context.partition_time_window
        start = window.start.astimezone(dt.timezone.utc)
        days = [(start + dt.timedelta(days=n)) for n in range((window.end - window.start).days)]
        totals = {"read": 0, "loaded": 0, "quarantined": 0, "repeated": 0, "nan": 0, "loads": 0}
        folder = Path(prometheus.location)
        metrics = prometheus.metrics if prometheus.live else sorted(p.name for p in folder.iterdir() if p.is_dir()) \
            if folder.is_dir() else []
        if not prometheus.live and not folder.is_dir():
            raise FileNotFoundError(f"sources.prometheus.location {folder} is neither a folder of saved answers nor "
                                    "an http(s):// Prometheus")
        tls = prometheus.tls("sources.prometheus", context.log.warning) if prometheus.live else None
        for day in days:
            for metric in metrics:
                if prometheus.live:
                    dest = Path(prometheus.landing_dir) / "prometheus" / _folder_name(metric) / f"{day:%Y-%m-%d}"
                    try:
                        files = fetch(prometheus.location, metric, day, day + dt.timedelta(days=1), prometheus.step_s,
                                      dest, prometheus.timeout_s, prometheus.max_points_per_request, tls)
                    except PrometheusError as exc:
                        raise dg.Failure(str(exc)) from exc
                else:
                    files = [f for f in [folder / metric / f"{day:%Y-%m-%d}.json"] if f.is_file()]
                if not files:
                    continue
                with warehouse.writer() as conn:
                    result = load_query_range_day(conn, metric=metric, day=f"{day:%Y-%m-%d}", files=files)
                totals["read"] += result.rows_read
                totals["loaded"] += result.rows_loaded
                totals["quarantined"] += result.rows_quarantined
                totals["repeated"] += int(result.notes.get("rows_already_loaded", 0))
                totals["nan"] += int(result.notes.get("nan_points", 0))
                totals["loads"] += 1
        context.log.info(f"prometheus {days[0]:%Y-%m-%d}..{days[-1]:%Y-%m-%d}: {totals['loads']} metric-days, "
                         f"{totals['loaded']} points, {totals['nan']} NaN, {totals['quarantined']} quarantined")
        return dg.MaterializeResult(
            metadata={"metric_days": totals["loads"], "rows_read": totals["read"], "rows_loaded": totals["loaded"],
                      "nan_points": totals["nan"], "rows_quarantined": totals["quarantined"],
                      "dagster/row_count": totals["loaded"]},
            check_results=load_check_results(totals["read"], totals["loaded"], totals["quarantined"], None,
                                             totals["repeated"]),
        )


@dg.definitions
def prometheus_assets() -> dg.Definitions:
    return dg.Definitions(assets=[prometheus_samples])
