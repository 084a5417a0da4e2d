"""Prometheus history through ``/api/v1/query_range``: one metric over a window, split so no request asks for more
than 11,000 points per series (Prometheus refuses more), each answer kept as JSON in the landing area.

Values arrive as strings (``"NaN"`` included); nothing is converted here. If a server still answers "exceeded
maximum resolution", the window is halved and asked again. An answer is streamed to its file as it arrives, never
parsed in Python (a day of one metric for 512 GPUs is 15 MB of JSON): memory stays at one buffer per request.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import shutil
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


_SUCCESS = b'{"status":"success"'
_CHUNK = 1 << 20


def _says_success(path: Path) -> bool:
    """Whether a saved answer begins ``{"status":"success"``, as Prometheus (and Thanos, Mimir, VictoriaMetrics)
    write it: then its first bytes tell, and the rest is never parsed."""
    with path.open("rb") as fh:
        head = fh.read(len(_SUCCESS) + 16)
    return b"".join(head.split()).startswith(_SUCCESS)


def _download(base_url: str, params: dict[str, str], timeout_s: float, tls: ssl.SSLContext | None, to: Path
              ) -> tuple[int, dict | None]:
    """GET one query_range answer into ``to``: (HTTP status, None) when it succeeded, else (status, the error body)."""
    url = f"{base_url.rstrip('/')}/api/v1/query_range?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s, context=tls) as resp:  # noqa: S310 (configured server)
            with to.open("wb") as fh:
                shutil.copyfileobj(resp, fh, _CHUNK)
                received = fh.tell()
            status = resp.status
            promised = resp.headers.get("Content-Length")
            if promised is not None and promised.isdigit() and int(promised) != received:
                raise http.client.IncompleteRead(b"", int(promised) - received)  # the connection closed early
        if _says_success(to):
            return status, None
        try:  # another layout: parsed whole, once
            body = json.loads(to.read_bytes())
        except (json.JSONDecodeError, ValueError) as exc:
            raise PrometheusError(f"{url}: HTTP {status}, not a JSON answer") from exc
        return status, None if isinstance(body, dict) and body.get("status") == "success" else body
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read())
        except (json.JSONDecodeError, ValueError):
            raise PrometheusError(f"{url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, ssl.SSLError, http.client.HTTPException) as exc:
        to.unlink(missing_ok=True)  # a cut-off answer is never kept
        raise PrometheusError(f"{url}: {describe_ssl_error(exc) or exc!r}") from exc


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
        path = dest / f"{a:%Y%m%dT%H%M%S}_{b:%Y%m%dT%H%M%S}.json"
        tmp = path.with_name(path.name + ".part")
        status, error_body = _download(base_url, params, timeout_s, tls, tmp)
        if error_body is not None:
            tmp.unlink(missing_ok=True)
            error = str(error_body.get("error", "")) if isinstance(error_body, dict) else ""
            if "exceeded maximum resolution" in error and b > a:
                mid = a + dt.timedelta(seconds=step_s * (int((b - a).total_seconds() // step_s) // 2))
                pending[:0] = [(a, mid), (mid + dt.timedelta(seconds=step_s), b)]
                continue
            raise PrometheusError(f"query_range {query!r} {a:%Y-%m-%d %H:%M}..{b:%H:%M}: HTTP {status} {error}")
        tmp.replace(path)
        out.append(path)
    return out
