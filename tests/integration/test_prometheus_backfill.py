"""The Prometheus backfill against a loopback query_range server that enforces the 11,000-point limit (scaled down
here), with NaN, a gap and a counter reset in the series."""

from __future__ import annotations

import datetime as dt
import json
import math
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dagster as dg
import duckdb
import pytest

from tests.integration.loopback import LoopbackServer

pytestmark = pytest.mark.integration
KEY = dg.AssetKey(["raw", "prometheus_samples"])
DAY = dt.datetime(2026, 10, 2, tzinfo=dt.timezone.utc)
METRIC = "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"
GAP = range(600, 621)          # minutes with no point at all
NAN_AT = {100, 101}            # minutes whose value is the string "NaN"
RESET_AT = 900                 # the counter drops (driver reload)


def _value(gpu: int, minute: int) -> str:
    if minute in NAN_AT:
        return "NaN"
    base = 0 if minute >= RESET_AT and gpu == 0 else 5_000_000
    return str(base + 60_000 * (minute - (RESET_AT if base == 0 else 0)))


class FakePrometheus(LoopbackServer):
    def __init__(self, max_points: int) -> None:
        self.max_points = max_points
        self.requests: list[dict[str, str]] = []
        super().__init__()

    def answer(self, q: dict[str, str]) -> tuple[int, dict]:
        start, end = float(q["start"]), float(q["end"])
        step = float(q["step"].rstrip("s"))
        points = int((end - start) // step) + 1
        if points > self.max_points:
            return 400, {"status": "error", "errorType": "bad_data",
                         "error": "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
                                  "query resolution (?step=XX)"}
        result = []
        for gpu in (0, 1):
            values = []
            for i in range(points):
                t = start + i * step
                minute = int((t - DAY.timestamp()) // 60)
                if 0 <= minute < 1440 and minute not in GAP and q["query"] == METRIC:
                    values.append([t, _value(gpu, minute)])
            result.append({"metric": {"__name__": q["query"], "gpu": str(gpu), "UUID": f"GPU-{gpu}",
                                      "Hostname": "node-1"}, "values": values})
        return 200, {"status": "success", "data": {"resultType": "matrix", "result": result}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append(q)
                status, body = fake.answer(q)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def test_backfill_splits_oversized_requests_and_keeps_gaps_nan_and_resets(infraledger_env: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.definitions import defs
    from pipelines.runner import RANGE_END, RANGE_START

    with FakePrometheus(max_points=1000) as prom:
        monkeypatch.setenv("INFRALEDGER_SOURCES_PROMETHEUS_LOCATION", prom.endpoint)
        monkeypatch.setenv("INFRALEDGER_SOURCES_PROMETHEUS_METRICS", f"[{METRIC}]")
        monkeypatch.setenv("INFRALEDGER_SOURCES_PROMETHEUS_MAX_POINTS_PER_REQUEST", "1200")  # more than it allows
        job = defs().resolve_implicit_global_asset_job_def()
        tags = {RANGE_START: "2026-10-02", RANGE_END: "2026-10-02"}
        assert job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[KEY], tags=tags).success
        asked = [int((float(q["end"]) - float(q["start"])) // 60) + 1 for q in prom.requests]
        assert asked[0] == 1200 and all(n <= 1000 for n in asked[1:])  # refused, then halved until it fits
        assert sum(asked[1:]) == 1440  # the whole day, each minute asked once
        # running the day again replaces it: same rows
        assert job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[KEY], tags=tags).success

    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        n, nan, first, last = conn.execute(
            "select count(*), count(*) filter (value is null), min(sample_time), max(sample_time) "
            "from raw.prometheus_samples").fetchone()
        gap = conn.execute("select count(*) from raw.prometheus_samples where sample_time >= ? and sample_time < ?",
                           [dt.datetime(2026, 10, 2, 10, 0), dt.datetime(2026, 10, 2, 10, 21)]).fetchone()[0]
        drop = conn.execute("select value from raw.prometheus_samples join raw.prometheus_series using (series_id) "
                            "where gpu_uuid = 'GPU-0' and sample_time = ?",
                            [dt.datetime(2026, 10, 2, 15, 0)]).fetchone()[0]
    finally:
        conn.close()
    assert n == 2 * (1440 - len(GAP)) and nan == 2 * len(NAN_AT)  # gaps stay gaps, NaN is NULL (not 0)
    assert (first, last) == (dt.datetime(2026, 10, 2, 0, 0), dt.datetime(2026, 10, 2, 23, 59)) and gap == 0
    assert drop == 0.0 and not math.isnan(drop)  # the reset is kept as delivered; the marts treat drops as resets
    assert len(list((infraledger_env.parent / "landing" / "prometheus" / METRIC).rglob("*.json"))) >= 2
