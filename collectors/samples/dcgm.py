"""Sample NVIDIA DCGM telemetry: dcgm-exporter ``/metrics`` text snapshots and Prometheus ``query_range`` JSON.

One minute-resolution model per GPU feeds both formats. Dirt on purpose: a 20-minute scrape gap on one host,
``NaN`` readings, and a reset of one GPU's energy counter (driver reload).
"""

from __future__ import annotations

import functools
import json
import math
from datetime import date, timedelta
from pathlib import Path

from collectors.samples import world
from collectors.samples.query_range_json import matrix_answer, point

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
PROFILE = {"chat-api": (0.55, 40e9, 0.6e9), "embeddings": (0.35, 0.0, 1.5e9), "batch-eval": (0.10, 0.0, 16.0e9),
           "training": (0.70, 60e9, 2.0e9)}
# Framebuffer share of GPU memory by service (others: 0.55 + 0.3 x busy): a small embedding model needs little
FB_SHARE = {"embeddings": 0.15}
GAP = ("gpu-a10g-02", 1, 600, 620)     # host, day index, first and last+1 minute missing
NAN = ("gpu-a10g-01", 0, "DCGM_FI_PROF_DRAM_ACTIVE", range(300, 305))
RESET = ("gpu-h100-01", 3, 1, 720)     # host, gpu index, day index, minute of the driver reload
SNAPSHOT_MINUTES = 15
DRIVER = "550.90.07"


def pod_for(host: world.Host, service: str | None = None) -> str:
    """A Deployment pod name: <service>-<ReplicaSet hash>-<pod hash>."""
    service = service or host.service
    return f"{service}-{world.k8s_suffix(host.hostname, service, length=10)}-{world.k8s_suffix(host.ip, length=5)}"


def labels(host: world.Host, gpu: int, holder: "world.TrainingJob | str | None" = None) -> dict[str, str]:
    """The labels dcgm-exporter puts on a GPU's series (with Kubernetes pod mapping enabled): pod, namespace and
    container only while a pod holds the GPU (a free GPU's series has none, as in the exporter's own output)."""
    out = {
        "gpu": str(gpu), "UUID": world.gpu_uuid(host, gpu), "pci_bus_id": f"00000000:{0x10 + gpu * 0x10:02X}:00.0",
        "device": f"nvidia{gpu}", "modelName": host.gpu_model.name, "Hostname": world.node_name(host),
        "DCGM_FI_DRIVER_VERSION": DRIVER,
    }
    if isinstance(holder, world.TrainingJob):
        out.update({"container": "pytorch", "namespace": holder.namespace, "pod": holder.pod(gpu)})
    elif holder is not None:
        out.update({"container": "vllm" if holder != "batch-eval" else "eval-runner",
                    "namespace": world.NAMESPACE_OF[holder],
                    "pod": pod_for(host, holder)})
    return out


@functools.lru_cache(maxsize=None)
def _holders(host: world.Host, gpu: int, n: int) -> tuple["world.TrainingJob | str | None", ...]:
    """Who holds the GPU each minute: worked out once, read by the series and by the labels that name them."""
    return tuple(world.holder_of(host, gpu, i) for i in range(n))


def _load_profile(host: world.Host, holder: "world.TrainingJob | str | None") -> tuple[float, float, tuple]:
    """(mean SM activity, framebuffer share of memory, (tensor share, NVLink, PCIe)) of whoever holds the GPU."""
    if holder is None:
        return 0.0, 0.0, (0.0, 0.0, 0.0)
    if isinstance(holder, world.TrainingJob):
        return holder.busy, 0.92, PROFILE["training"]
    return host.busy, FB_SHARE.get(holder, 0.55 + 0.3 * host.busy), PROFILE[holder]


def gpu_series(host: world.Host, gpu: int, start: date, n_days: int, seed: int) -> dict[str, list[float | None]]:
    """Minute values of every metric for one GPU; ``None`` = not scraped, ``nan`` = NaN reading."""
    rng = world.rng_for(seed, "dcgm", host.hostname, gpu)
    n = n_days * 1440
    out: dict[str, list[float | None]] = {m: [] for m in METRICS}
    energy_mj = rng.uniform(1e9, 5e9)
    m = host.gpu_model
    holders = _holders(host, gpu, n)
    shape = world.diurnal_by_minute()
    profiles: dict[object, tuple[float, float, tuple]] = {}  # per holder: whoever holds the GPU, worked out once
    (util_out, sm_out, dram_out, fb_out, power_out, energy_out, tensor_out, nvlink_out,
     pcie_out) = (out[metric] for metric in METRICS)
    for i in range(n):
        holder = holders[i]
        profile = profiles.get(holder)
        if profile is None:
            profile = profiles[holder] = _load_profile(host, holder)
        busy, fb_share, (tensor_share, nvlink, pcie) = profile
        day, minute = divmod(i, 1440)
        load = busy * shape[minute] * (0.85 + 0.3 * rng.random())
        sm = min(0.99, max(0.0, load))
        dram = min(0.99, sm * (0.55 + 0.2 * rng.random()))
        util = min(100.0, round(sm * 100 * 1.25))
        power = round(m.idle_w + (m.max_w - m.idle_w) * (0.15 + 0.85 * sm) * (0.95 + 0.1 * rng.random()), 3)
        if (host.hostname, gpu, day, minute) == RESET:
            energy_mj = 0.0
        energy_mj += power * 60 * 1000
        util_out.append(float(util))
        sm_out.append(round(sm, 6))
        dram_out.append(round(dram, 6))
        fb_out.append(float(int(m.memory_mib * fb_share)))
        power_out.append(power)
        energy_out.append(float(int(energy_mj)))
        tensor_out.append(round(sm * tensor_share, 6))
        nvlink_out.append(float(int(nvlink * sm)) if host.gpu_count > 1 else 0.0)
        pcie_out.append(float(int(pcie * (0.5 + sm))))
        if host.hostname == NAN[0] and day == NAN[1] and minute in NAN[3]:
            out[NAN[2]][-1] = math.nan
        if host.hostname == GAP[0] and day == GAP[1] and GAP[2] <= minute < GAP[3]:
            for metric in METRICS:
                out[metric][-1] = None
    return out


def _fmt(v: float) -> str:
    """A sample value as Prometheus writes it: ``NaN``, a whole number without ``.0``, else Python's shortest repr.
    Read from ``repr`` (one call for most values: this runs for every point of the period)."""
    r = repr(v)
    if r.endswith(".0"):
        return "0" if r == "-0.0" else r[:-2]
    if r == "nan":
        return "NaN"
    if "e" in r and v.is_integer():  # a whole number repr writes with an exponent (1e+16 and beyond)
        return str(int(v))
    return r


def _label_text(lbl: dict[str, str]) -> str:
    return ",".join(f'{k}="{v}"' for k, v in lbl.items())


def _holder_key(holder: "world.TrainingJob | str | None") -> str:
    return holder.name if isinstance(holder, world.TrainingJob) else (holder or "")


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    """Prometheus history per metric and day, plus the last minutes of the period as raw /metrics scrapes. A GPU's
    day is one series per holder (a pod's labels change the series; a free GPU's series has no pod labels)."""
    n = n_days * 1440
    series = {(h.hostname, g): gpu_series(h, g, start, n_days, seed) for h in world.HOSTS for g in range(h.gpu_count)}
    holders = {(h.hostname, g): _holders(h, g, n) for h in world.HOSTS for g in range(h.gpu_count)}
    hosts = {h.hostname: h for h in world.HOSTS}
    qr_dir = out / "prometheus" / "query_range"
    # each GPU-day's series (one per holder, in the order holders first appear that day, with the minutes each held
    # it), worked out once for every metric
    layouts: dict[tuple[str, int, int], list[tuple[dict[str, str], list[int]]]] = {}
    for (hostname, g), held in holders.items():
        h = hosts[hostname]
        for day_i in range(n_days):
            segments: dict[str, tuple[object, list[int]]] = {}
            for k in range(1440):
                holder = held[day_i * 1440 + k]
                segments.setdefault(_holder_key(holder), (holder, []))[1].append(k)
            layouts[(hostname, g, day_i)] = [
                ({**labels(h, g, holder), "instance": f"{h.ip}:9400", "job": "dcgm-exporter"}, minutes)
                for holder, minutes in segments.values()]
    for metric in METRICS:
        (qr_dir / metric).mkdir(parents=True, exist_ok=True)
        for day_i, d in enumerate(world.days(start, n_days)):
            result = []
            t0 = int(world.at(d).timestamp())
            for (hostname, g), values in series.items():
                day_values = values[metric][day_i * 1440:(day_i + 1) * 1440]
                for series_labels, minutes in layouts[(hostname, g, day_i)]:
                    points = [point(t0 + 60 * k, _fmt(v)) for k in minutes if (v := day_values[k]) is not None]
                    if points:
                        result.append(({"__name__": metric, **series_labels}, points))
            (qr_dir / metric / f"{d.isoformat()}.json").write_text(matrix_answer(result))
    counters = _write_training_counters(qr_dir, start, n_days)
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
                        lines.append(f"{metric}{{{_label_text(labels(h, g, holders[(h.hostname, g)][i]))}}} {_fmt(v)}")
            (folder / f"{ts:%Y%m%dT%H%M%SZ}.prom").write_text("\n".join(lines) + "\n")
            snapshots += 1
    return {"dcgm_series": len(series), "dcgm_metric_days": len(METRICS) * n_days, "dcgm_scrapes": snapshots,
            "training_counter_points": counters}


TRAINING_METRICS = ("training_steps_total", "training_tokens_total")


def _write_training_counters(qr_dir: Path, start: date, n_days: int) -> int:
    """The step and token counters a training job's master pod exports (prometheus_client counters scraped every
    minute, label job_name): from 0 at its start, restarting at 0 when its container restarts from a checkpoint."""
    hosts = {h.hostname: h for h in world.HOSTS}
    points: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for job in world.TRAINING_JOBS:
        if job.steps_per_minute is None:
            continue
        first = job.start_h * 60
        last = min((job.start_h + job.hours) * 60, n_days * 1440)
        restart = None if job.restart_after_h is None else first + job.restart_after_h * 60
        steps = 0
        for i in range(first, last):
            if i == restart:
                steps = 0
            elif i > first:
                steps += job.steps_per_minute
            t = int(world.at(start).timestamp()) + 60 * i
            points.setdefault((job.name, "training_steps_total"), []).append((t, steps))
            points.setdefault((job.name, "training_tokens_total"), []).append((t, steps * job.tokens_per_step))
    written = 0
    jobs = {j.name: j for j in world.TRAINING_JOBS}
    for metric in TRAINING_METRICS:
        (qr_dir / metric).mkdir(parents=True, exist_ok=True)
        for d in world.days(start, n_days):
            t0, t1 = int(world.at(d).timestamp()), int(world.at(d).timestamp()) + 86400
            result = []
            for (name, m), pts in points.items():
                day_pts = [[t, str(v)] for t, v in pts if m == metric and t0 <= t < t1]
                if day_pts:
                    job = jobs[name]
                    pod = job.pod(job.gpus[0])
                    result.append({"metric": {"__name__": metric, "job_name": name, "namespace": job.namespace,
                                              "pod": pod, "instance": f"{hosts[job.host].ip}:9090",
                                              "job": "training-metrics"}, "values": day_pts})
                    written += len(day_pts)
            body = {"status": "success", "data": {"resultType": "matrix", "result": result}}
            (qr_dir / metric / f"{d.isoformat()}.json").write_text(json.dumps(body, separators=(",", ":")) + "\n")
    return written
