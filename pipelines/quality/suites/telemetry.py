"""Suites for GPU telemetry, serving metrics and the host inventory (rows of the latest load)."""

from __future__ import annotations

from pipelines.quality.rules import Suite, between, in_set, not_null, regex, unique

DCGM_SAMPLES = Suite(
    name="dcgm_samples", asset=("raw", "dcgm_samples"), audit_source="dcgm", blocking=True,
    scope="the rows of the latest successful load",
    rules=(
        *not_null("sample_time", "hostname", "gpu", "metric", "value"),
        unique("sample_time", "hostname", "gpu", "gpu_i_id", "pod", "metric", why="one reading per series and instant"),
        regex("metric", r"^DCGM_FI_", why="only dcgm-exporter fields land here"),
        between("value", 0, None, why="DCGM fields are non-negative (counts, ratios, watts, bytes)"),
        *not_null("gpu_uuid", severity="warn", mostly=0.99, why="GPUs are matched to hosts by UUID"),
    ),
)

PROMETHEUS_SAMPLES = Suite(
    name="prometheus_samples", asset=("raw", "prometheus_samples"), audit_source="prometheus", blocking=True,
    scope="the metric and day of the latest successful load",
    rules=(
        *not_null("sample_time", "metric", "series_id"),
        unique("series_id", "sample_time", why="one point per series and instant"),
        *not_null("value", severity="warn", mostly=0.99, why="NaN points are kept as NULL; many of them mean a sick exporter"),
        between("value", 0, None, severity="warn", why="the backfilled metrics are non-negative"),
        *not_null("instance", severity="warn", mostly=0.99, why="series are matched to scrapes by instance"),
    ),
)

SERVING_SAMPLES = Suite(
    name="serving_samples", asset=("raw", "serving_samples"), audit_source="serving", blocking=True,
    scope="the rows of the latest successful load",
    rules=(
        *not_null("sample_time", "service", "instance", "engine", "metric", "value"),
        in_set("engine", ["vllm", "triton", "process"], why="the engines the marts understand (process: its start time)"),
        regex("metric", r"^(vllm:|nv_inference_|process_start_time_seconds$)",
              why="only serving metrics (and the server process start time) land here"),
        between("value", 0, None, why="counters, sums and buckets are non-negative"),
    ),
)

PROMETHEUS_SERIES = Suite(
    name="prometheus_series", asset=("raw", "prometheus_series"), blocking=True,
    scope="every series (labels are stored once per series and kept)",
    rules=(
        *not_null("series_id", "metric", "_first_load_id"),
        unique("series_id", why="a series' labels are stored once (series_id = hash of the sorted labels)"),
        *not_null("instance", severity="warn", mostly=0.99, why="series are matched to scrapes by instance"),
    ),
)

HOST_INVENTORY = Suite(
    name="host_inventory", asset=("raw", "host_inventory"), blocking=True,
    scope="the whole inventory (hosts are upserted, never deleted)",
    rules=(
        *not_null("provider", "resource_id", "inventory_source", "first_seen", "last_seen"),
        unique("provider", "resource_id", why="one row per machine"),
        in_set("provider", ["aws", "gcp", "azure", "onprem"], why="the providers the marts join on"),
        *not_null("hostname", severity="warn", mostly=0.9, why="telemetry hosts match on it"),
        in_set("state", ["pending", "running", "stopping", "stopped", "shutting-down", "terminated"],
               severity="warn", why="EC2 instance states"),
    ),
)
