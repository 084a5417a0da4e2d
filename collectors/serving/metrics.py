"""vLLM and Triton ``/metrics`` samples as serving rows.

Kept: every ``vllm:*`` and ``nv_inference_*`` sample, the ``_created`` timestamps prometheus_client adds among them
(when a counter began: a new pod's first value then counts from zero), and ``process_start_time_seconds``.
A row carries the ``instance`` (host:port) Prometheus would give the same target, so a scraped series and the same
series read back from Prometheus history are one series, never counted twice.
"""

from __future__ import annotations

import datetime as dt
import json
import math

from collectors.prometheus.exposition import Exposition

FAMILIES = ("vllm:", "nv_inference_")
VLLM_PORT = 8000
IDENTITY_DROP = ("instance", "job", "pod", "namespace", "container", "exported_pod", "exported_namespace",
                 "exported_container", "exported_instance", "exported_job")


PROCESS_START = "process_start_time_seconds"


def engine_of(metric: str) -> str:
    if metric == PROCESS_START:
        return "process"
    return "vllm" if metric.startswith("vllm:") else "triton"


def serving_rows(exposition: Exposition, sampled_at: dt.datetime, *, service: str, instance: str,
                 pod: str | None = None) -> list[dict[str, object]]:
    """One row per kept sample; ``value`` None for NaN. ``series_labels`` holds every label plus ``instance``."""
    rows = []
    for s in exposition.samples:
        if not (s.name.startswith(FAMILIES) or s.name == PROCESS_START):
            continue
        lb = dict(s.labels)
        lb.setdefault("instance", instance)
        rows.append({
            "sample_time": sampled_at if s.timestamp_ms is None else dt.datetime.fromtimestamp(
                s.timestamp_ms / 1000, dt.timezone.utc).replace(tzinfo=None),
            "service": service,
            "instance": lb["instance"],
            "pod": lb.get("pod") or lb.get("exported_pod") or pod,
            "engine": engine_of(s.name),
            "metric": s.name,
            "series_labels": json.dumps({k: lb[k] for k in sorted(lb)}, separators=(",", ":")),
            "value": None if math.isnan(s.value) else s.value,
            "line_no": s.line_no,
        })
    return rows
