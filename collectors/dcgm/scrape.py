"""dcgm-exporter ``/metrics`` samples as GPU rows (fetching and saving: ``collectors.prometheus.scrape``).

An HTTP 200 with an empty body is a gap (the exporter had nothing), never zeros. Label spellings differ between
exporter versions and Kubernetes setups: ``Hostname``/``hostname``, ``pod``/``exported_pod`` (and ``namespace``,
``container``), MIG instances as ``GPU_I_ID``/``GPU_I_PROFILE``; all map to one set of columns.
"""

from __future__ import annotations

import datetime as dt
import math

from collectors.prometheus.exposition import Exposition

DEFAULT_PORT = 9400


def _first(labels: dict[str, str], *names: str) -> str | None:
    for n in names:
        if labels.get(n):
            return labels[n]
    return None


def gpu_rows(exposition: Exposition, sampled_at: dt.datetime, host_hint: str | None = None) -> list[dict[str, object]]:
    """One row per DCGM sample: identity columns from the labels, value None for NaN."""
    rows = []
    for s in exposition.samples:
        if not s.name.startswith(("DCGM_", "dcgm_")):
            continue
        lb = s.labels
        rows.append({
            "sample_time": sampled_at if s.timestamp_ms is None else dt.datetime.fromtimestamp(
                s.timestamp_ms / 1000, dt.timezone.utc).replace(tzinfo=None),
            "hostname": _first(lb, "Hostname", "hostname") or host_hint,
            "gpu": _first(lb, "gpu"),
            "gpu_uuid": _first(lb, "UUID", "uuid"),
            "model_name": _first(lb, "modelName"),
            "gpu_i_id": _first(lb, "GPU_I_ID"),
            "gpu_i_profile": _first(lb, "GPU_I_PROFILE"),
            "pod": _first(lb, "pod", "exported_pod"),
            "namespace": _first(lb, "namespace", "exported_namespace"),
            "container": _first(lb, "container", "exported_container"),
            "metric": s.name,
            "value": None if math.isnan(s.value) else s.value,
            "line_no": s.line_no,
        })
    return rows
