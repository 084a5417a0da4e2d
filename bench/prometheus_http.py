"""Prometheus over HTTP in the bench: a loopback server that answers ``/api/v1/query_range`` as Prometheus does from
the bench's generated answers (one file per metric and UTC day), and the step that backfills a day through
infraledger's own Prometheus source (``fetch`` over HTTP into the landing area, then ``load``), as the daily job
does. Its time beside the load of the same answers from saved files is the HTTP path's cost."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MAX_POINTS = 11_000  # Prometheus' limit per series


class QueryRangeServer:
    """``GET /api/v1/query_range?query=<metric>&start=&end=&step=`` answered from ``<folder>/<metric>/<day>.json``
    for a window of one whole UTC day at the files' step: the file's bytes, streamed. More than 11,000 points per
    series is refused with Prometheus' own error; an unknown metric is an empty matrix; any other window is refused
    (the bench never asks for one). Use as a context manager; ``endpoint`` is its base URL."""

    def __init__(self, folder: Path, step_s: int = 60) -> None:
        self.folder = folder
        self.step_s = step_s
        self.requests = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> QueryRangeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, query: dict[str, list[str]]) -> tuple[int, Path | dict]:
        metric = query["query"][0]
        start, end = float(query["start"][0]), float(query["end"][0])
        step = int(query["step"][0].rstrip("s"))
        if (end - start) / step + 1 > MAX_POINTS:
            return 400, {"status": "error", "errorType": "bad_data",
                         "error": "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
                                  "query resolution (?step=XX)"}
        day = dt.datetime.fromtimestamp(start, dt.timezone.utc)
        if step != self.step_s or day.time() != dt.time() or end - start != 86_400 - step:
            return 400, {"status": "error", "errorType": "bad_data", "error": "the bench server answers whole days"}
        path = self.folder / metric / f"{day:%Y-%m-%d}.json"
        if not path.is_file():
            return 200, {"status": "success", "data": {"resultType": "matrix", "result": []}}
        return 200, path

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # the bench prints figures only
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url = urllib.parse.urlsplit(self.path)
                with server._lock:
                    server.requests += 1
                if url.path != "/api/v1/query_range":
                    status, answer = 404, {"status": "error", "errorType": "not_found", "error": url.path}
                else:
                    status, answer = server._answer(urllib.parse.parse_qs(url.query))
                body = None if isinstance(answer, Path) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(answer.stat().st_size if body is None else len(body)))
                self.end_headers()
                if body is not None:
                    self.wfile.write(body)
                else:
                    with answer.open("rb") as fh:
                        shutil.copyfileobj(fh, self.wfile, 1 << 20)

        return Handler


def backfill_day_over_http(conn, endpoint: str, metrics: list[str], day: str, landing: Path,
                           max_concurrent_requests: int) -> int:
    """One UTC day of ``metrics`` through infraledger's Prometheus source from ``endpoint``: the answers fetched
    into ``landing``, then loaded. Returns the points loaded."""
    from pipelines.config import PrometheusSource
    from pipelines.resources_impl import PrometheusSourceResource
    from pipelines.sources import prometheus
    from pipelines.sources.contract import Request

    settings = PrometheusSourceResource(
        source=PrometheusSource(location=endpoint, metrics=metrics, max_concurrent_requests=max_concurrent_requests),
        landing_dir=str(landing))
    start = dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc)
    request = Request(partition_key=day, start=start, end=start + dt.timedelta(days=1))
    landed = prometheus.fetch(settings, request, logging.getLogger(__name__))
    return prometheus.load(conn, landed, request).rows_loaded
