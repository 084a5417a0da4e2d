"""TLS on every HTTP collector: verified by default, a CA bundle trusts a private CA, and turning verification off
takes an explicit setting and logs a warning (Redfish has its own tests in test_redfish.py)."""

from __future__ import annotations

import datetime as dt
import logging
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import dagster as dg
import pytest

from collectors.prometheus.query_range import PrometheusError, fetch
from collectors.prometheus.scrape import ScrapeError, scrape
from collectors.tls import client_context
from tests.integration.loopback import LoopbackServer, send_json
from tests.integration.test_dcgm_scrape import FakeExporters

pytestmark = pytest.mark.integration
CAPTURE = 'DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-1",Hostname="h1"} 42\n'


class EmptyPrometheus(LoopbackServer):
    """Answers every query_range with an empty matrix."""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                send_json(self, 200, {"status": "success", "data": {"resultType": "matrix", "result": []}})

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def test_scrapes_verify_certificates(cert: tuple[Path, Path], caplog: pytest.LogCaptureFixture) -> None:
    with FakeExporters({"h1": CAPTURE}, tls=cert) as server:
        url = f"{server.endpoint}/h1/metrics"
        with pytest.raises(ScrapeError, match="TLS verification failed.*ca_bundle"):
            scrape(url)
        assert scrape(url, tls=client_context(ca_bundle=str(cert[0]), what="t")).body == CAPTURE
        with caplog.at_level(logging.WARNING):
            assert scrape(url, tls=client_context(False, what="sources.dcgm_exporter")).body == CAPTURE
    assert "TLS verification is OFF for sources.dcgm_exporter" in caplog.text


def test_query_range_verifies_certificates(cert: tuple[Path, Path], tmp_path: Path) -> None:
    start = dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc)
    with EmptyPrometheus(tls=cert) as prom:
        with pytest.raises(PrometheusError, match="TLS verification failed"):
            fetch(prom.endpoint, "up", start, start + dt.timedelta(hours=1), 60, tmp_path / "a")
        files = fetch(prom.endpoint, "up", start, start + dt.timedelta(hours=1), 60, tmp_path / "b",
                      tls=client_context(ca_bundle=str(cert[0]), what="t"))
    assert len(files) == 1


def test_turning_verification_off_is_explicit_and_warns_in_the_run(
        cert: tuple[Path, Path], infraledger_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.definitions import defs

    key = dg.AssetKey(["raw", "dcgm_samples"])
    monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_LOCATION", str(tmp_path / "no-saved-scrapes"))
    with FakeExporters({"h1": CAPTURE}, tls=cert) as server:
        monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_TARGETS", f"[{server.endpoint}/h1/metrics]")
        job = defs().resolve_implicit_global_asset_job_def()
        refused = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[key],
                                         raise_on_error=False)
        assert not refused.success
        [failure] = [e for e in refused.all_events if e.event_type_value == "STEP_FAILURE"]
        assert "TLS verification failed" in failure.step_failure_data.error.message

        monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_VERIFY_TLS", "false")
        with dg.DagsterInstance.ephemeral() as instance:
            job = defs().resolve_implicit_global_asset_job_def()
            accepted = job.execute_in_process(instance=instance, asset_selection=[key])
            logs = [e.user_message for e in instance.all_logs(accepted.run_id)]
    assert accepted.success
    assert any("TLS verification is OFF for sources.dcgm_exporter" in m for m in logs)


def test_a_ca_bundle_setting_reaches_the_scrape(cert: tuple[Path, Path], infraledger_env: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.definitions import defs

    key = dg.AssetKey(["raw", "dcgm_samples"])
    monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_LOCATION", str(tmp_path / "no-saved-scrapes"))
    monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_CA_BUNDLE", str(cert[0]))
    with FakeExporters({"h1": CAPTURE}, tls=cert) as server:
        monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_TARGETS", f"[{server.endpoint}/h1/metrics]")
        job = defs().resolve_implicit_global_asset_job_def()
        result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[key])
    assert result.success
    [materialization] = result.get_asset_materialization_events()
    assert materialization.materialization.metadata["rows_loaded"].value == 1
