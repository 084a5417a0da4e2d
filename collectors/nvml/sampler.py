"""Sample the local GPUs through NVML (nvidia-ml-py) and write the readings as a dcgm-exporter style scrape, so
hosts without the exporter land in the same table through the same loader.

Per GPU UUID: utilization (%), framebuffer used (MiB), power (NVML mW -> W), total energy (mJ, a counter that
resets on driver reload) and temperature (C). A reading the GPU does not support (a vGPU has no power sensor) is
left out, never written as 0. Without a driver, ``sample()`` raises ``NvmlUnavailable`` naming NVML's error.
"""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass, field

METRICS = {  # our reading -> (dcgm-exporter metric, TYPE)
    "gpu_util_pct": ("DCGM_FI_DEV_GPU_UTIL", "gauge"),
    "fb_used_mib": ("DCGM_FI_DEV_FB_USED", "gauge"),
    "power_w": ("DCGM_FI_DEV_POWER_USAGE", "gauge"),
    "energy_mj": ("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter"),
    "temperature_c": ("DCGM_FI_DEV_GPU_TEMP", "gauge"),
}


class NvmlUnavailable(RuntimeError):
    """NVML cannot be used on this host (no library, no driver, no permission); the message says which."""


@dataclass(frozen=True)
class GpuReading:
    index: int
    uuid: str
    name: str
    pci_bus_id: str
    values: dict[str, float] = field(default_factory=dict)   # keys of METRICS; absent = not supported


def _text(v: bytes | str) -> str:
    return v.decode() if isinstance(v, bytes) else v


def sample() -> tuple[str, list[GpuReading]]:
    """(driver version, one reading per GPU); ``NvmlUnavailable`` when NVML cannot start."""
    import pynvml

    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError as exc:
        raise NvmlUnavailable(f"NVML unavailable on {socket.gethostname()}: {type(exc).__name__}: {exc} "
                              "(no NVIDIA driver here? use dcgm-exporter targets or Prometheus instead)") from exc
    try:
        driver = _text(pynvml.nvmlSystemGetDriverVersion())
        readings = []
        for i in range(pynvml.nvmlDeviceGetCount()):
            h = pynvml.nvmlDeviceGetHandleByIndex(i)
            values: dict[str, float] = {}
            probes = {
                "gpu_util_pct": lambda: pynvml.nvmlDeviceGetUtilizationRates(h).gpu,
                "fb_used_mib": lambda: pynvml.nvmlDeviceGetMemoryInfo(h).used / 2**20,
                "power_w": lambda: pynvml.nvmlDeviceGetPowerUsage(h) / 1000.0,
                "energy_mj": lambda: pynvml.nvmlDeviceGetTotalEnergyConsumption(h),
                "temperature_c": lambda: pynvml.nvmlDeviceGetTemperature(h, pynvml.NVML_TEMPERATURE_GPU),
            }
            for key, probe in probes.items():
                try:
                    values[key] = float(probe())
                except pynvml.NVMLError:  # not supported on this GPU / mode: missing, not zero
                    continue
            readings.append(GpuReading(i, _text(pynvml.nvmlDeviceGetUUID(h)), _text(pynvml.nvmlDeviceGetName(h)),
                                       _text(pynvml.nvmlDeviceGetPciInfo(h).busId), values))
        return driver, readings
    finally:
        pynvml.nvmlShutdown()


def to_exposition(readings: list[GpuReading], hostname: str, driver: str) -> str:
    """The readings as dcgm-exporter ``/metrics`` text (same metric and label names)."""
    lines: list[str] = []
    for key, (metric, kind) in METRICS.items():
        rows = [r for r in readings if key in r.values]
        if not rows:
            continue
        lines.append(f"# TYPE {metric} {kind}")
        for r in rows:
            labels = (f'gpu="{r.index}",UUID="{r.uuid}",pci_bus_id="{r.pci_bus_id}",device="nvidia{r.index}",'
                      f'modelName="{r.name}",Hostname="{hostname}",DCGM_FI_DRIVER_VERSION="{driver}"')
            v = r.values[key]
            lines.append(f"{metric}{{{labels}}} {int(v) if v.is_integer() else repr(v)}")
    return "\n".join(lines) + ("\n" if lines else "")


def sampled_at() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
