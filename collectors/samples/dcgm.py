"""Sample NVIDIA DCGM telemetry: dcgm-exporter ``/metrics`` text snapshots and Prometheus ``query_range`` JSON.

One minute-resolution model per GPU feeds both formats. Dirt on purpose: a 20-minute scrape gap on one host,
``NaN`` readings, and a reset of one GPU's energy counter (driver reload).
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path

from collectors.samples import world

METRICS: dict[str, tuple[str, str]] = {
    "DCGM_FI_DEV_GPU_UTIL": ("gauge", "GPU utilization (in %)."),
    "DCGM_FI_PROF_SM_ACTIVE": ("gauge", "The ratio of cycles an SM has at least 1 warp assigned (in %)."),
    "DCGM_FI_PROF_DRAM_ACTIVE": ("gauge", "Ratio of cycles the device memory interface is active sending or receiving data (in %)."),
    "DCGM_FI_DEV_FB_USED": ("gauge", "Framebuffer memory used (in MiB)."),
    "DCGM_FI_DEV_POWER_USAGE": ("gauge", "Power draw (in W)."),
    "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION": ("counter", "Total energy consumption since boot (in mJ)."),
    "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE": ("gauge", "Ratio of cycles the tensor (HMMA) pipe is active (in %)."),
    "DCGM_FI_PROF_NVLINK_TX_BYTES": ("gauge", "The rate of data transmitted over NVLink, not including protocol headers, in bytes per second."),
    "DCGM_FI_PROF_PCIE_RX_BYTES": ("gauge", "The rate of data received over the PCIe bus - including both protocol headers and data payloads - in bytes per second."),
}
# Per service: (tensor share of SM activity, NVLink bytes/s at full load, PCIe RX bytes/s at full load)
PROFILE = {"chat-api": (0.55, 40e9, 0.6e9), "embeddings": (0.35, 0.0, 1.5e9), "batch-eval": (0.10, 0.0, 16.0e9)}
GAP = ("gpu-a10g-02", 1, 600, 620)     # host, day index, first and last+1 minute missing
NAN = ("gpu-a10g-01", 0, "DCGM_FI_PROF_DRAM_ACTIVE", range(300, 305))
RESET = ("gpu-h100-01", 3, 1, 720)     # host, gpu index, day index, minute of the driver reload
SNAPSHOT_MINUTES = 15
DRIVER = "550.90.07"


def pod_for(host: world.Host, service: str | None = None) -> str:
    """A Deployment pod name: <service>-<ReplicaSet hash>-<pod hash>."""
    service = service or host.service
    return f"{service}-{world.k8s_suffix(host.hostname, service, length=10)}-{world.k8s_suffix(host.ip, length=5)}"


def labels(host: world.Host, gpu: int) -> dict[str, str]:
    """The labels dcgm-exporter puts on every series (with Kubernetes pod mapping enabled)."""
    return {
        "gpu": str(gpu), "UUID": world.gpu_uuid(host, gpu), "pci_bus_id": f"00000000:{0x10 + gpu * 0x10:02X}:00.0",
        "device": f"nvidia{gpu}", "modelName": host.gpu_model.name, "Hostname": world.node_name(host),
        "DCGM_FI_DRIVER_VERSION": DRIVER, "container": "vllm" if world.service_of(host, gpu) != "batch-eval" else "eval-runner",
        "namespace": host.namespace, "pod": pod_for(host, world.service_of(host, gpu)),
    }


def gpu_series(host: world.Host, gpu: int, start: date, n_days: int, seed: int) -> dict[str, list[float | None]]:
    """Minute values of every metric for one GPU; ``None`` = not scraped, ``nan`` = NaN reading."""
    rng = world.rng_for(seed, "dcgm", host.hostname, gpu)
    n = n_days * 1440
    out: dict[str, list[float | None]] = {m: [] for m in METRICS}
    energy_mj = rng.uniform(1e9, 5e9)
    m = host.gpu_model
    for i in range(n):
        ts = world.at(start) + timedelta(minutes=i)
        load = host.busy * world.diurnal(ts) * (0.85 + 0.3 * rng.random())
        sm = min(0.99, max(0.0, load))
        dram = min(0.99, sm * (0.55 + 0.2 * rng.random()))
        util = min(100.0, round(sm * 100 * 1.25))
        power = round(m.idle_w + (m.max_w - m.idle_w) * (0.15 + 0.85 * sm) * (0.95 + 0.1 * rng.random()), 3)
        day, minute = divmod(i, 1440)
        if (host.hostname, gpu, day, minute) == RESET:
            energy_mj = 0.0
        energy_mj += power * 60 * 1000
        out["DCGM_FI_DEV_GPU_UTIL"].append(float(util))
        out["DCGM_FI_PROF_SM_ACTIVE"].append(round(sm, 6))
        out["DCGM_FI_PROF_DRAM_ACTIVE"].append(round(dram, 6))
        out["DCGM_FI_DEV_FB_USED"].append(float(int(m.memory_mib * (0.55 + 0.3 * host.busy))))
        out["DCGM_FI_DEV_POWER_USAGE"].append(power)
        out["DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"].append(float(int(energy_mj)))
        tensor_share, nvlink, pcie = PROFILE[world.service_of(host, gpu)]
        out["DCGM_FI_PROF_PIPE_TENSOR_ACTIVE"].append(round(sm * tensor_share, 6))
        out["DCGM_FI_PROF_NVLINK_TX_BYTES"].append(float(int(nvlink * sm)) if host.gpu_count > 1 else 0.0)
        out["DCGM_FI_PROF_PCIE_RX_BYTES"].append(float(int(pcie * (0.5 + sm))))
        if host.hostname == NAN[0] and day == NAN[1] and minute in NAN[3]:
            out[NAN[2]][-1] = math.nan
        if host.hostname == GAP[0] and day == GAP[1] and GAP[2] <= minute < GAP[3]:
            for metric in METRICS:
                out[metric][-1] = None
    return out


def _fmt(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    return str(int(v)) if float(v).is_integer() else repr(v)


def _label_text(lbl: dict[str, str]) -> str:
    return ",".join(f'{k}="{v}"' for k, v in lbl.items())


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    """Prometheus history per metric and day, plus the last minutes of the period as raw /metrics scrapes."""
    series = {(h.hostname, g): gpu_series(h, g, start, n_days, seed) for h in world.HOSTS for g in range(h.gpu_count)}
    hosts = {h.hostname: h for h in world.HOSTS}
    qr_dir = out / "prometheus" / "query_range"
    for metric in METRICS:
        (qr_dir / metric).mkdir(parents=True, exist_ok=True)
        for day_i, d in enumerate(world.days(start, n_days)):
            result = []
            t0 = int(world.at(d).timestamp())
            for (hostname, g), values in series.items():
                h = hosts[hostname]
                day_vals = values[metric][day_i * 1440:(day_i + 1) * 1440]
                points = [[t0 + 60 * k, _fmt(v)] for k, v in enumerate(day_vals) if v is not None]
                metric_labels = {"__name__": metric, **labels(h, g), "instance": f"{h.ip}:9400", "job": "dcgm-exporter"}
                result.append({"metric": metric_labels, "values": points})
            body = {"status": "success", "data": {"resultType": "matrix", "result": result}}
            (qr_dir / metric / f"{d.isoformat()}.json").write_text(json.dumps(body, separators=(",", ":")) + "\n")
    snapshots = 0
    last_day = n_days - 1
    for h in world.HOSTS:
        folder = out / "dcgm" / "metrics" / h.hostname
        folder.mkdir(parents=True, exist_ok=True)
        for minute in range(1440 - SNAPSHOT_MINUTES, 1440):
            i = last_day * 1440 + minute
            ts = world.at(start) + timedelta(minutes=i)
            lines = []
            for metric, (kind, help_text) in METRICS.items():
                lines.append(f"# HELP {metric} {help_text}")
                lines.append(f"# TYPE {metric} {kind}")
                for g in range(h.gpu_count):
                    v = series[(h.hostname, g)][metric][i]
                    if v is not None:
                        lines.append(f"{metric}{{{_label_text(labels(h, g))}}} {_fmt(v)}")
            (folder / f"{ts:%Y%m%dT%H%M%SZ}.prom").write_text("\n".join(lines) + "\n")
            snapshots += 1
    return {"dcgm_series": len(series), "dcgm_metric_days": len(METRICS) * n_days, "dcgm_scrapes": snapshots}
