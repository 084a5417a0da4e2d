"""Our sample wire formats carry the same structure as real public files in ../shared/data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
_LABELS = re.compile(r'(\w+)="')


def _label_keys(prom_text: str, metric: str) -> set[str]:
    line = next(ln for ln in prom_text.splitlines() if ln.startswith(metric + "{"))
    return set(_LABELS.findall(line.split("}", 1)[0]))


def test_dcgm_sample_has_the_labels_of_real_exporter_output(shared_data: Path, sample_dir: Path) -> None:
    real = (shared_data / "dcgm" / "metrics" / "kops-aws-l4_gpu-operator_k8s-1.35.prom").read_text()
    ours = next((sample_dir / "dcgm" / "metrics").rglob("*.prom")).read_text()
    assert _label_keys(real, "DCGM_FI_DEV_POWER_USAGE") <= _label_keys(ours, "DCGM_FI_DEV_POWER_USAGE")


def test_vllm_sample_uses_real_metric_and_label_names(shared_data: Path, sample_dir: Path) -> None:
    real = (shared_data / "serving" / "vllm-v1_qwen2.5-0.5b_idle_kops-k8s-1.35.prom").read_text()
    ours = next((sample_dir / "serving" / "metrics").rglob("*.prom")).read_text()
    for metric in ("vllm:request_success_total", "vllm:prompt_tokens_total", "vllm:generation_tokens_total",
                   "vllm:e2e_request_latency_seconds_bucket"):
        assert _label_keys(ours, metric) == _label_keys(real, metric), metric


def test_spot_sample_matches_the_api_example_shape(shared_data: Path, sample_dir: Path) -> None:
    example = json.loads((shared_data / "spot" / "aws_describe_spot_price_history.botocore_example.json").read_text())
    real_item = example["DescribeSpotPriceHistory"][0]["output"]["SpotPriceHistory"][0]
    ours = json.loads(next((sample_dir / "spot_prices").rglob("page-0001.json")).read_text())["SpotPriceHistory"][0]
    assert set(ours) == set(real_item)
    assert isinstance(ours["SpotPrice"], str)
