"""Prometheus history through ``/api/v1/query_range``: one metric over a window, split so no request asks for more
than 11,000 points per series (Prometheus refuses more), each answer kept as JSON in the landing area.

Values arrive as strings (``"NaN"`` included); nothing is converted here. If a server still answers "exceeded
maximum resolution", the window is halved and asked again.
"""

from __future__ import annotations

import datetime as dt
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from collectors.tls import describe_ssl_error

MAX_POINTS = 11_000


class PrometheusError(RuntimeError):
    """Prometheus could not answer (unreachable, or an error other than the resolution limit)."""


def windows(start: dt.datetime, end: dt.datetime, step_s: int, max_points: int = MAX_POINTS
            ) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """[start, end] cut into consecutive windows of at most ``max_points`` points each (both ends inclusive, so
    a window ends one step before the next one starts)."""
    span = dt.timedelta(seconds=step_s * (max_points - 1))
    t = start
    while t <= end:
        stop = min(t + span, end)
        yield t, stop
        t = stop + dt.timedelta(seconds=step_s)


def _get(base_url: str, params: dict[str, str], timeout_s: float, tls: ssl.SSLContext | None) -> tuple[int, dict]:
    url = f"{base_url.rstrip('/')}/api/v1/query_range?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s, context=tls) as resp:  # noqa: S310 (configured server)
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read())
        except (json.JSONDecodeError, ValueError):
            raise PrometheusError(f"{url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, ssl.SSLError, json.JSONDecodeError) as exc:
        raise PrometheusError(f"{url}: {describe_ssl_error(exc) or exc}") from exc


def fetch(base_url: str, query: str, start: dt.datetime, end: dt.datetime, step_s: int, dest: Path,
          timeout_s: float = 30.0, max_points: int = MAX_POINTS, tls: ssl.SSLContext | None = None) -> list[Path]:
    """Every answer for ``query`` over [start, end), saved under ``dest``; returns the files in time order.
    ``tls`` is used for an https server (default: verified against the system store)."""
    out: list[Path] = []
    pending = list(windows(start, end - dt.timedelta(seconds=step_s), step_s, max_points))
    dest.mkdir(parents=True, exist_ok=True)
    while pending:
        a, b = pending.pop(0)
        params = {"query": query, "start": f"{a.timestamp():.0f}", "end": f"{b.timestamp():.0f}", "step": f"{step_s}s"}
        status, body = _get(base_url, params, timeout_s, tls)
        if body.get("status") != "success":
            error = str(body.get("error", ""))
            if "exceeded maximum resolution" in error and b > a:
                mid = a + dt.timedelta(seconds=step_s * (int((b - a).total_seconds() // step_s) // 2))
                pending[:0] = [(a, mid), (mid + dt.timedelta(seconds=step_s), b)]
                continue
            raise PrometheusError(f"query_range {query!r} {a:%Y-%m-%d %H:%M}..{b:%H:%M}: HTTP {status} {error}")
        path = dest / f"{a:%Y%m%dT%H%M%S}_{b:%Y%m%dT%H%M%S}.json"
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(json.dumps(body, separators=(",", ":")))
        tmp.replace(path)
        out.append(path)
    return out
