"""Sample vLLM serving metrics: ``/metrics`` text and Prometheus ``query_range`` JSON of its counters.

Counters per pod: ``vllm:request_success_total{finished_reason}``, ``vllm:prompt_tokens_total``,
``vllm:generation_tokens_total`` and the ``vllm:e2e_request_latency_seconds`` histogram. Dirt on purpose: one
pod's container restarts mid-period, so its counters reset.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

from collectors.prometheus.scrape import HEADER
from collectors.samples import world
from collectors.samples.dcgm import pod_for
from collectors.samples.query_range_json import matrix_answer, point

BUCKETS = (0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0)
PROFILE = {  # requests/min at peak, prompt tokens/request, generation tokens/request, median latency s, sigma
    "chat-api": (90.0, 900, 250, 2.2, 0.55),
    "embeddings": (400.0, 300, 0, 0.12, 0.35),
    "batch-eval": (30.0, 1200, 400, 6.0, 0.45),
}
RESTART = ("gpu-h100-02", 1, 720)  # host, day index, minute when the vLLM container restarts
PORT = 8000


def _cdf(x: float, median: float, sigma: float) -> float:
    return 0.5 * (1 + math.erf((math.log(x) - math.log(median)) / (sigma * math.sqrt(2))))


def pod_counters(host: world.Host, start: date, n_days: int, seed: int) -> dict[tuple[str, ...], list[float]]:
    """Cumulative counter values per minute, keyed by (metric, extra label pairs...)."""
    rng = world.rng_for(seed, "serving", host.hostname)
    peak, p_tok, g_tok, med, sigma = PROFILE[host.service]
    keys: list[tuple[str, ...]] = [
        ("vllm:request_success_total", "finished_reason", "stop"),
        ("vllm:request_success_total", "finished_reason", "length"),
        ("vllm:prompt_tokens_total",), ("vllm:generation_tokens_total",),
        *[("vllm:e2e_request_latency_seconds_bucket", "le", str(b)) for b in BUCKETS],
        ("vllm:e2e_request_latency_seconds_bucket", "le", "+Inf"),
        ("vllm:e2e_request_latency_seconds_sum",), ("vllm:e2e_request_latency_seconds_count",),
    ]
    acc = {k: 0.0 for k in keys}
    out: dict[tuple[str, ...], list[float]] = {k: [] for k in keys}
    # the traffic shape of each minute of a day, and each bucket's share of requests: the same all period
    shapes = world.diurnal_by_minute() if host.service != "batch-eval" else (1.0,) * 1440
    shares = [_cdf(b, med, sigma) for b in BUCKETS]
    for i in range(n_days * 1440):
        day, minute = divmod(i, 1440)
        if (host.hostname, day, minute) == RESTART:
            acc = {k: 0.0 for k in keys}
        shape = shapes[minute]
        n = int(round(peak * shape * (0.85 + 0.3 * rng.random())))
        length = int(round(n * 0.08)) if g_tok else 0
        acc[keys[0]] += n - length
        acc[keys[1]] += length
        acc[keys[2]] += n * int(p_tok * (0.9 + 0.2 * rng.random()))
        acc[keys[3]] += n * int(g_tok * (0.9 + 0.2 * rng.random()))
        for share, key in zip(shares, keys[4:4 + len(BUCKETS)]):
            acc[key] += round(n * share)
        acc[keys[4 + len(BUCKETS)]] += n
        acc[keys[-2]] += round(n * med * math.exp(sigma**2 / 2), 6)
        acc[keys[-1]] += n
        for k in keys:
            out[k].append(acc[k])
    return out


def _labels(host: world.Host) -> dict[str, str]:
    return {"engine": "0", "model_name": world.SERVING_MODELS[host.service]}


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    """query_range JSON per counter family and day, plus the final /metrics scrape of each pod."""
    counters = {h.hostname: pod_counters(h, start, n_days, seed) for h in world.HOSTS}
    hosts = {h.hostname: h for h in world.HOSTS}
    families = sorted({k[0] for c in counters.values() for k in c})
    qr = out / "prometheus" / "query_range"
    for fam in families:
        (qr / fam.replace(":", "_")).mkdir(parents=True, exist_ok=True)
        for day_i, d in enumerate(world.days(start, n_days)):
            t0 = int(world.at(d).timestamp())
            result = []
            for hostname, series in counters.items():
                h = hosts[hostname]
                for key, values in series.items():
                    if key[0] != fam:
                        continue
                    lbl = {"__name__": fam, **_labels(h), **dict(zip(key[1::2], key[2::2])),
                           "container": "vllm", "namespace": h.namespace, "pod": pod_for(h),
                           "instance": f"{h.ip}:{PORT}", "job": "vllm"}
                    vals = values[day_i * 1440:(day_i + 1) * 1440]
                    result.append((lbl, [point(t0 + 60 * k, repr(float(v))) for k, v in enumerate(vals)]))
            (qr / fam.replace(":", "_") / f"{d.isoformat()}.json").write_text(matrix_answer(result))
    for hostname, series in counters.items():
        h = hosts[hostname]
        lines = []
        seen: set[str] = set()
        for key, values in series.items():
            base = key[0].removesuffix("_bucket").removesuffix("_sum").removesuffix("_count")
            if base not in seen:
                seen.add(base)
                kind = "histogram" if base.endswith("latency_seconds") else "counter"
                lines.append(f"# HELP {base} vLLM metric {base}.")
                lines.append(f"# TYPE {base} {kind}")
            lbl = {**_labels(h), **dict(zip(key[1::2], key[2::2]))}
            lines.append(key[0] + "{" + ",".join(f'{k}="{v}"' for k, v in lbl.items()) + "} " + repr(float(values[-1])))
        instance = f"{h.ip}:{PORT}"
        folder = out / "serving" / "metrics" / h.service / instance.replace(":", "_")
        folder.mkdir(parents=True, exist_ok=True)
        end = world.at(start) + timedelta(days=n_days) - timedelta(minutes=1)
        header = f"{HEADER} target={instance} service={h.service} instance={instance}"
        (folder / f"{end:%Y%m%dT%H%M%SZ}.prom").write_text("\n".join([header, *lines]) + "\n")
    return {"serving_pods": len(counters), "serving_families": len(families)}
