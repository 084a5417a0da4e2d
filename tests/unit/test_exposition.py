"""The Prometheus text parser on the real dcgm-exporter, vLLM and Triton captures, and on broken lines."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from collectors.prometheus.exposition import family_of, parse

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("capture", "series", "with_types"), [
    ("dcgm/metrics/kops-aws-l4_gpu-operator_k8s-1.35.prom", 23, True),
    ("dcgm/metrics/upcloud-l40s_helm_k8s-1.35.prom", 23, True),
    ("dcgm/metrics/ericsson-t4-busy_no-help_k8s-1.35.prom", 20, False),
    ("dcgm/metrics/vks-grid-a100-10c_vgpu_k8s-1.36.prom", 11, True),
])
def test_dcgm_captures_parse_completely(shared_data: Path, capture: str, series: int, with_types: bool) -> None:
    text = (shared_data / capture).read_text()
    parsed = parse(text)
    assert parsed.bad_lines == []
    assert len(parsed.samples) == series
    assert bool(parsed.types) is with_types
    # every real capture carries the GPU identity labels the marts join on
    assert all({"gpu", "UUID", "Hostname"} <= s.labels.keys() for s in parsed.samples)


def test_mig_capture_keeps_instance_labels(shared_data: Path) -> None:
    parsed = parse((shared_data / "dcgm/metrics/nvidia-docs-a100-mig_example.prom").read_text())
    assert parsed.bad_lines == []
    mig = [s for s in parsed.samples if "GPU_I_ID" in s.labels]
    assert mig and {s.labels["GPU_I_PROFILE"] for s in mig} == {"1g.5gb"} and {s.labels["GPU_I_ID"] for s in mig} == {"13"}


def test_vllm_capture_families(shared_data: Path) -> None:
    parsed = parse((shared_data / "serving/vllm-v1_qwen2.5-0.5b_idle_kops-k8s-1.35.prom").read_text())
    assert parsed.bad_lines == []
    names = {s.name for s in parsed.samples}
    assert {"vllm:prompt_tokens_total", "vllm:generation_tokens_total"} <= names
    assert family_of("vllm:e2e_request_latency_seconds_bucket", parsed.types) == (
        "vllm:e2e_request_latency_seconds", "histogram")
    buckets = [s for s in parsed.samples if s.name == "vllm:e2e_request_latency_seconds_bucket"]
    assert any(math.isinf(float(s.labels["le"].replace("+Inf", "inf"))) for s in buckets)


def test_triton_capture(shared_data: Path) -> None:
    parsed = parse((shared_data / "serving/triton-trtllm-backend_readme-example_zeros.prom").read_text())
    assert parsed.bad_lines == [] and parsed.samples


def test_bad_lines_are_set_aside_and_the_rest_parses() -> None:
    text = "\n".join([
        "# TYPE x counter",
        'x{a="1"} 5',
        'x{a="unterminated} 6',
        "x 1 2 3",
        'y{path="C:\\\\tmp",msg="say \\"hi\\""} NaN 1700000000000',
        "",
        'z{} +Inf',
        "not a metric line at all!",
    ])
    parsed = parse(text)
    assert [(s.name, s.labels) for s in parsed.samples] == [
        ("x", {"a": "1"}), ("y", {"path": "C:\\tmp", "msg": 'say "hi"'}), ("z", {})]
    assert math.isnan(parsed.samples[1].value) and parsed.samples[1].timestamp_ms == 1700000000000
    assert [b.line_no for b in parsed.bad_lines] == [3, 4, 8]
    assert parsed.types == {"x": "counter"}
