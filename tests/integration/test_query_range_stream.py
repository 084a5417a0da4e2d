"""query_range answers streamed to files over real HTTP: kept byte for byte, a cut-off answer never kept, an answer
judged by its status wherever the server puts it, and no more requests in flight than configured."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from collectors.prometheus.query_range import PrometheusError, fetch
from tests.integration.loopback import LoopbackServer

pytestmark = pytest.mark.integration
DAY = dt.datetime(2026, 10, 2, tzinfo=dt.timezone.utc)


class Answers(LoopbackServer):
    """Answers every query_range with ``body(query)``; ``cut`` sends half the body under a full Content-Length;
    ``delay_s`` holds each answer, so overlapping requests can be counted."""

    def __init__(self, body, cut: bool = False, delay_s: float = 0.0) -> None:
        self.body, self.cut, self.delay_s = body, cut, delay_s
        self.in_flight = self.most_in_flight = 0
        self.lock = threading.Lock()
        super().__init__()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                with server.lock:
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                try:
                    time.sleep(server.delay_s)
                    data = server.body(parse_qs(urlparse(self.path).query)["query"][0])
                finally:
                    # counted out before the answer is sent: once the client has it, it may send its next request
                    # before this thread runs again, and a request still counted here would look like one more
                    with server.lock:
                        server.in_flight -= 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2] if server.cut else data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _matrix(metric: str) -> bytes:
    series = [{"metric": {"__name__": metric, "gpu": str(g)}, "values": [[DAY.timestamp() + 60 * k, str(k)]
                                                                        for k in range(1440)]} for g in range(4)]
    # Prometheus' own layout (status first), with the whitespace of a pretty-printing proxy
    return b'{ "status" : "success", ' + json.dumps({"data": {"resultType": "matrix", "result": series}})[1:].encode()


def test_an_answer_is_kept_byte_for_byte(tmp_path: Path) -> None:
    with Answers(_matrix) as prom:
        [saved] = fetch(prom.endpoint, "DCGM_FI_DEV_GPU_UTIL", DAY, DAY + dt.timedelta(days=1), 60, tmp_path)
    assert saved.read_bytes() == _matrix("DCGM_FI_DEV_GPU_UTIL")
    assert json.loads(saved.read_bytes())["status"] == "success"


def test_status_is_read_wherever_the_server_puts_it(tmp_path: Path) -> None:
    late = lambda m: json.dumps({"data": {"resultType": "matrix", "result": []}, "status": "success"}).encode()  # noqa: E731
    with Answers(late) as prom:
        assert len(fetch(prom.endpoint, "up", DAY, DAY + dt.timedelta(hours=1), 60, tmp_path / "late")) == 1
    refused = lambda m: json.dumps({"status": "error", "errorType": "execution", "error": "query timed out"}).encode()  # noqa: E731
    with Answers(refused) as prom, pytest.raises(PrometheusError, match="query timed out"):
        fetch(prom.endpoint, "up", DAY, DAY + dt.timedelta(hours=1), 60, tmp_path / "refused")
    assert not list((tmp_path / "refused").iterdir())  # the error answer is not kept as data


def test_a_cut_off_answer_is_an_error_and_leaves_no_file(tmp_path: Path) -> None:
    with Answers(_matrix, cut=True) as prom, pytest.raises(PrometheusError):
        fetch(prom.endpoint, "DCGM_FI_DEV_GPU_UTIL", DAY, DAY + dt.timedelta(days=1), 60, tmp_path, timeout_s=5)
    assert not list(tmp_path.iterdir())


def test_requests_in_flight_never_exceed_the_setting(tmp_path: Path) -> None:
    from pipelines.config import PrometheusSource
    from pipelines.resources_impl import PrometheusSourceResource
    from pipelines.sources import prometheus
    from pipelines.sources.contract import Request

    metrics = [f"metric_{i}" for i in range(6)]
    with Answers(_matrix, delay_s=0.3) as prom:
        settings = PrometheusSourceResource(
            source=PrometheusSource(location=prom.endpoint, metrics=metrics, max_concurrent_requests=3),
            landing_dir=str(tmp_path))
        request = Request(partition_key="2026-10-02", start=DAY, end=DAY + dt.timedelta(days=2))
        landed = prometheus.fetch(settings, request, log=logging.getLogger(__name__))
    assert prom.most_in_flight == 3  # 12 requests held 0.3 s each: three at a time, never four
    # the landed answers keep the order of the days and metrics, however the requests finished
    assert [(m, d) for m, d, _ in landed.items] == [(m, d) for d in ("2026-10-02", "2026-10-03") for m in metrics]
