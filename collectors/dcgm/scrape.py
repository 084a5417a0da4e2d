"""dcgm-exporter ``/metrics`` scrapes: fetch with a timeout, keep the body as a file, turn samples into GPU rows.

An HTTP 200 with an empty body is a gap (the exporter had nothing), never zeros. Label spellings differ between
exporter versions and Kubernetes setups: ``Hostname``/``hostname``, ``pod``/``exported_pod`` (and ``namespace``,
``container``), MIG instances as ``GPU_I_ID``/``GPU_I_PROFILE``; all map to one set of columns.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from collectors.prometheus.exposition import Exposition, parse

DEFAULT_PORT = 9400


class ScrapeError(RuntimeError):
    """A target could not be scraped (refused, timed out, HTTP error); the message names the target."""


@dataclass(frozen=True)
class Scrape:
    target: str
    fetched_at: dt.datetime
    body: str


def scrape(target: str, timeout_s: float = 5.0) -> Scrape:
    """GET ``<target>/metrics`` (``host`` or ``host:port`` or a full URL)."""
    url = target if "://" in target else f"http://{target if ':' in target else f'{target}:{DEFAULT_PORT}'}/metrics"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp:  # noqa: S310 (configured targets only)
            body = resp.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise ScrapeError(f"scrape of {url} failed: {exc}") from exc
    return Scrape(target=target, fetched_at=dt.datetime.now(dt.timezone.utc), body=body)


def target_folder(target: str) -> str:
    """A folder name for a target: two exporters behind one host:port (different paths) never share one."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", target.split("://", 1)[-1]).strip("_")


def save(s: Scrape, landing: Path) -> Path:
    """Keep the scrape as ``<landing>/<target>/<UTC time to the microsecond>.prom`` (atomically)."""
    folder = landing / target_folder(s.target)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{s.fetched_at:%Y%m%dT%H%M%S.%fZ}.prom"
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(s.body)
    tmp.replace(path)
    return path


def scrape_time(path: Path) -> dt.datetime:
    """The UTC time a saved scrape was taken, from its file name (seconds or microseconds)."""
    stem = path.stem
    return dt.datetime.strptime(stem, "%Y%m%dT%H%M%S.%fZ" if "." in stem else "%Y%m%dT%H%M%SZ")


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


def read_saved(paths: Iterable[Path]) -> Iterable[tuple[Path, Exposition]]:
    """Parsed saved scrapes, one at a time (bounded memory)."""
    for p in paths:
        yield p, parse(p.read_text(encoding="utf-8", errors="replace"))
