"""NVML sampler: real readings where a GPU and driver exist (skipped with the reason elsewhere), the clear error
without a driver, and the exposition it writes read back through the dcgm-exporter path."""

from __future__ import annotations

import datetime as dt

import pytest

from collectors.dcgm.scrape import gpu_rows
from collectors.nvml.sampler import GpuReading, NvmlUnavailable, sample, to_exposition
from collectors.prometheus.exposition import parse


def _nvml_error() -> str | None:
    try:
        sample()
    except NvmlUnavailable as exc:
        return str(exc)
    return None


def test_sampler_reads_every_local_gpu() -> None:
    why = _nvml_error()
    if why is not None:
        pytest.skip(f"no GPU with a driver on this machine: {why}")
    driver, readings = sample()
    assert driver and readings
    for r in readings:
        assert r.uuid.startswith(("GPU-", "MIG-")) and r.name
        assert 0 <= r.values.get("gpu_util_pct", 0) <= 100
        assert r.values.get("power_w", 1) > 0 and r.values.get("energy_mj", 1) > 0


def test_without_a_driver_it_stops_with_nvmls_own_error() -> None:
    why = _nvml_error()
    if why is None:
        pytest.skip("this machine has a working NVIDIA driver")
    assert "NVMLError_LibraryNotFound" in why or "NVMLError_DriverNotLoaded" in why
    assert "dcgm-exporter" in why  # says what to use instead


def test_readings_become_dcgm_rows_with_units_converted_and_missing_left_out() -> None:
    readings = [GpuReading(0, "GPU-aaaa", "NVIDIA H100 80GB HBM3", "00000000:18:00.0",
                           {"gpu_util_pct": 87.0, "fb_used_mib": 40960.5, "power_w": 612.345,
                            "energy_mj": 123456789.0, "temperature_c": 61.0}),
                GpuReading(1, "GPU-bbbb", "GRID A100-10C", "00000000:19:00.0", {"gpu_util_pct": 3.0})]
    text = to_exposition(readings, "node-1", "550.90.07")
    parsed = parse(text)
    assert parsed.bad_lines == [] and parsed.types["DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"] == "counter"
    at = dt.datetime(2026, 10, 1, 12, 0)
    rows = {(r["gpu_uuid"], r["metric"]): r["value"] for r in gpu_rows(parsed, at)}
    assert rows[("GPU-aaaa", "DCGM_FI_DEV_POWER_USAGE")] == pytest.approx(612.345)
    assert rows[("GPU-aaaa", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")] == 123456789.0
    assert rows[("GPU-aaaa", "DCGM_FI_DEV_FB_USED")] == pytest.approx(40960.5)
    assert ("GPU-bbbb", "DCGM_FI_DEV_POWER_USAGE") not in rows  # a vGPU without a power sensor: missing, not 0
    assert {r["hostname"] for r in gpu_rows(parsed, at)} == {"node-1"}
