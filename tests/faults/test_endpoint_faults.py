"""HTTP endpoints that refuse, stall or answer garbage: every collector gives up within its timeout with an error
naming the endpoint (dcgm-exporter / vLLM scrapes, Prometheus query_range; Redfish in test_redfish.py)."""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from collectors.prometheus.exposition import parse
from collectors.prometheus.query_range import PrometheusError, fetch
from collectors.prometheus.scrape import ScrapeError, scrape
from tests.integration.loopback import LoopbackServer, closed_port, send

pytestmark = pytest.mark.integration
START = dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc)


class Misbehaving(LoopbackServer):
    """``/stall`` answers only once the test releases it (``release``, at the latest after 60 s) and records that it
    answered; ``/html`` answers 200 with an HTML page; ``/500`` with a server error."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.answered = threading.Event()
        super().__init__()

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        super().__exit__(*exc)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                if self.path.startswith("/stall"):
                    server.release.wait(timeout=60)
                    server.answered.set()
                    try:
                        send(self, 200, b"late", "text/plain")
                    except OSError:
                        pass  # the client gave up long ago
                elif self.path.startswith("/500"):
                    send(self, 500, b"upstream exploded", "text/plain")
                else:
                    send(self, 200, b"<html><body>Login required</body></html>", "text/html")

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def test_scrapes_that_refuse_stall_or_fail_name_the_target() -> None:
    dead = f"127.0.0.1:{closed_port()}"
    with pytest.raises(ScrapeError, match=f"scrape of http://{dead}/metrics failed.*(refused|Errno)"):
        scrape(dead, timeout_s=2)
    with Misbehaving() as server:
        with pytest.raises(ScrapeError, match="stall.*timed out"):
            scrape(f"{server.endpoint}/stall/metrics", timeout_s=1)
        assert not server.answered.is_set()  # it gave up on its own timeout, not because the server answered
        with pytest.raises(ScrapeError, match="500"):
            scrape(f"{server.endpoint}/500/metrics", timeout_s=2)
        garbage = scrape(f"{server.endpoint}/html/metrics", timeout_s=2)
    # garbage is kept as the scrape it was; the loader quarantines each line (see the malformed corpus)
    parsed = parse(garbage.body)
    assert parsed.samples == [] and len(parsed.bad_lines) == 1


def test_prometheus_that_refuses_stalls_or_answers_garbage_fails_naming_the_url(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    end = START + dt.timedelta(hours=1)
    with pytest.raises(PrometheusError, match=f"{dead}/api/v1/query_range"):
        fetch(dead, "up", START, end, 60, tmp_path / "a", timeout_s=2)
    with Misbehaving() as server:
        with pytest.raises(PrometheusError, match="timed out"):
            fetch(f"{server.endpoint}/stall", "up", START, end, 60, tmp_path / "b", timeout_s=1)
        assert not server.answered.is_set()  # it gave up on its own timeout, not because the server answered
        with pytest.raises(PrometheusError, match="HTTP 500"):
            fetch(f"{server.endpoint}/500", "up", START, end, 60, tmp_path / "c", timeout_s=2)
        with pytest.raises(PrometheusError, match="/html/api/v1/query_range"):
            fetch(f"{server.endpoint}/html", "up", START, end, 60, tmp_path / "d", timeout_s=2)
    assert not list(tmp_path.rglob("*.json"))  # nothing half-saved
