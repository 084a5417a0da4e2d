"""dcgm-exporter scrapes from a loopback server serving the real captures in ../shared/data/dcgm/metrics/."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.integration.loopback import LoopbackServer, closed_port

pytestmark = pytest.mark.integration
KEY = dg.AssetKey(["raw", "dcgm_samples"])


class FakeExporters(LoopbackServer):
    """``/<name>/metrics`` answers with the capture ``<name>``; ``/empty/metrics`` with an empty 200."""

    def __init__(self, captures: dict[str, str], tls: tuple[Path, Path] | None = None) -> None:
        self.captures = captures
        super().__init__(tls)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                name = self.path.strip("/").split("/")[0]
                body = fake.captures.get(name)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def test_real_captures_land_gaps_stay_gaps_and_dead_targets_are_reported(
        shared_data: Path, infraledger_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    captures = {p.stem: p.read_text() for p in sorted((shared_data / "dcgm/metrics").glob("*.prom"))}
    captures["empty"] = ""
    broken = captures["kops-aws-l4_gpu-operator_k8s-1.35"] + "DCGM_FI_DEV_GPU_TEMP{gpu=0} 41\n"  # unquoted label
    captures["broken"] = broken
    dead = f"127.0.0.1:{closed_port()}"
    with FakeExporters(captures) as server:
        targets = [f"{server.endpoint}/{name}/metrics" for name in captures] + [dead]
        monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_TARGETS", "[" + ", ".join(targets) + "]")
        monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_LOCATION", str(tmp_path / "no-saved-scrapes"))
        monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_TIMEOUT_S", "2")
        from pipelines.definitions import defs

        job = defs().resolve_implicit_global_asset_job_def()
        result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[KEY])
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["targets_reachable"] is False and checks["rows_accounted_for"] is True
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        per_host = dict(conn.execute("select hostname, count(*) from raw.dcgm_samples group by 1").fetchall())
        scrapes = conn.execute("select status, count(*) from raw.dcgm_scrapes group by 1 order by 1").fetchall()
        quarantined = conn.execute("select reason from quarantine.dcgm_samples").fetchall()
        mig = conn.execute("select count(distinct gpu_i_id) from raw.dcgm_samples where gpu_i_profile = '1g.5gb'").fetchone()
    finally:
        conn.close()
    hosts = {"i-030791dc5a37cd257": "kops-aws-l4_gpu-operator_k8s-1.35", "gpu1-wl8sg": "upcloud-l40s_helm_k8s-1.35",
             "cp-bm14r7": "ericsson-t4-busy_no-help_k8s-1.35", "ub20-a100-k8s": "nvidia-docs-a100-mig_example",
             "conformance-test-np1-qcqc8-bpdtl-wv2gs": "vks-grid-a100-10c_vgpu_k8s-1.36"}
    # samples per capture, counted by hand (non-comment lines): the kops host was scraped twice (its capture and the
    # broken copy, whose extra unquoted-label line is quarantined)
    samples = {"kops-aws-l4_gpu-operator_k8s-1.35": 23 + 23, "upcloud-l40s_helm_k8s-1.35": 23,
               "ericsson-t4-busy_no-help_k8s-1.35": 20, "nvidia-docs-a100-mig_example": 21,
               "vks-grid-a100-10c_vgpu_k8s-1.36": 11}
    assert per_host == {host: samples[name] for host, name in hosts.items()}
    assert scrapes == [("empty", 1), ("ok", 6)]
    assert len(quarantined) == 1 and "labels" in quarantined[0][0]
    assert mig == (1,)


def test_nvml_sampling_without_a_driver_fails_the_run_naming_nvmls_error(
        infraledger_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from collectors.nvml.sampler import NvmlUnavailable, sample

    try:
        sample()
        pytest.skip("this machine has a working NVIDIA driver")
    except NvmlUnavailable:
        pass
    monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_NVML", "true")
    monkeypatch.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_LOCATION", str(tmp_path / "no-saved-scrapes"))
    from pipelines.definitions import defs

    job = defs().resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[KEY],
                                    raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "NVMLError_LibraryNotFound" in failure.step_failure_data.error.message
