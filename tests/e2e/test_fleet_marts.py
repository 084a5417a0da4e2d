"""Fleet efficiency marts on the sample period (stranded capacity, team quotas, training economics, right-sizing),
each recomputed in plain Python from the query_range answers by the rules the README states. Costs come from marts
that are themselves checked against the bill and the hardware register (test_whole_graph)."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from collectors.samples import world
from tests.e2e.test_telemetry_marts import _hour, _increments, _series, _service
from tests.e2e.test_whole_graph import _q
from tests.e2e.whole_graph_run import RESEARCH_QUOTA_GPUS

pytestmark = pytest.mark.e2e
# NVIDIA's figures, as the README cites them: dense BF16 TFLOPS relative to an H100 SXM, memory per GPU (GiB), and
# the MIG profiles of an A100 40GB (compute slices of 7, memory GiB)
THROUGHPUT = {"H100": 1.0, "H200": 1.0, "A100": 312 / 989, "L40S": 362 / 989, "L4": 121 / 989, "A10G": 70 / 989}
MEMORY_GIB = {"H100": 80, "H200": 141, "A100": 40, "A10G": 24, "L4": 24, "L40S": 48}
A100_40GB_MIG = {"1g.5gb": (1, 5), "2g.10gb": (2, 10), "3g.20gb": (3, 20), "4g.20gb": (4, 20)}
HEADROOM = 0.8


def _gpu_minutes(sample_dir: Path) -> tuple[dict, dict]:
    """From every DCGM answer: (hour, GPU) -> minutes sampled, and (hour, GPU) -> {minute: (workload, namespace)}
    for the minutes a sample names a pod."""
    seen: dict[tuple, set] = defaultdict(set)
    held: dict[tuple, dict] = defaultdict(dict)
    for metric_dir in (sample_dir / "prometheus" / "query_range").glob("DCGM_*"):
        for labels, points in _series(sample_dir, metric_dir.name):
            for t, _ in points:
                seen[(_hour(t), labels["UUID"])].add(t)
                if labels.get("pod"):
                    held[(_hour(t), labels["UUID"])][t] = (_service(labels["pod"]), labels["namespace"])
    return seen, held


def _machine_rates(wh: Path) -> dict[tuple[str, str], float]:
    """(day, host name) -> cost per GPU-hour: a cloud instance's amortized cost over its billed GPU-hours, an
    on-prem host's total cost over its GPUs x 24."""
    rates: dict[tuple[str, str], float] = {}
    by_id = {h.resource_id: h.hostname for h in world.HOSTS}
    for day, rid, cost, hours in _q(wh, "select cast(charge_date as varchar), resource_id, sum(net_effective_cost), "
                                        "sum(gpu_hours) from marts.fct_gpu_instance_hours_daily group by all"):
        host = by_id.get(rid.rsplit("/", 1)[-1])
        if host:
            rates[(day, host)] = float(cost) / float(hours)
    for day, host, cost, hours in _q(wh, "select cast(day as varchar), host, total_cost, gpu_hours "
                                         "from marts.fct_onprem_cost_daily"):
        rates[(day, host)] = float(cost) / float(hours)
    return rates


def _check_capacity(wh: Path, seen: dict, held: dict) -> None:
    hosts = {world.gpu_uuid(h, g): h for h in world.HOSTS for g in range(h.gpu_count)}
    rates = _machine_rates(wh)
    nodes: dict[tuple, dict] = defaultdict(lambda: {"gpus": 0, "observed": 0.0, "held": 0.0, "whole_free": 0})
    for (hour, uuid), minutes in seen.items():
        host = hosts[uuid]
        observed = min(1.0, len(minutes) / 60)
        taken = min(observed, len(held.get((hour, uuid), {})) / 60)
        n = nodes[(hour, host.availability_zone, host.hostname)]
        n["gpus"] += 1
        n["observed"] += observed
        n["held"] += taken
        n["whole_free"] += taken == 0
    want: dict[tuple, list] = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0, 0.0, 0.0])
    for (hour, zone, host), n in nodes.items():
        free = n["observed"] - n["held"]
        rate = rates.get((hour.date().isoformat(), host), 0.0)
        w = want[(hour, zone)]
        w[0] += n["gpus"]
        w[1] += n["held"]
        w[2] += free
        w[3] += free if n["held"] > 0 else 0.0
        w[4] = max(w[4], n["whole_free"])
        w[5] += free * rate
        w[6] += free * rate if n["held"] > 0 else 0.0
    got = {(h, c): r for h, c, *r in _q(wh, "select hour_start, cluster, gpus_present, held_gpu_hours, free_gpu_hours, "
                                             "stranded_gpu_hours, largest_free_block, free_cost, stranded_cost "
                                             "from marts.fct_gpu_capacity_hourly")}
    assert got.keys() == want.keys()
    for key, w in want.items():
        g = got[key]
        assert g[0] == w[0] and g[4] == w[4], key
        for a, b in zip(g[1:4], w[1:4]):
            assert math.isclose(a, b, abs_tol=1e-9), key
        for a, b in zip(g[5:7], w[5:7]):
            assert math.isclose(float(a), b, rel_tol=1e-9, abs_tol=1e-6), key
    # the fragmented sample: chat-api's second p5 leaves 2 of 8 H100s free every hour, the DGX 4 outside training
    stranded = {c: s for c, s in _q(wh, "select cluster, sum(stranded_gpu_hours) from marts.fct_gpu_capacity_hourly "
                                       "group by 1")}
    assert stranded["us-east-1a"] > 0 and stranded[world.SITE] > 0


def _check_team_usage(wh: Path, held: dict) -> None:
    hourly: dict[tuple, float] = defaultdict(float)
    for (hour, _), minutes in held.items():
        for _, namespace in minutes.values():
            hourly[(hour, namespace)] += 1 / 60
    daily: dict[tuple, list[float]] = defaultdict(list)
    for (hour, team), gpu_hours in hourly.items():
        daily[(hour.date().isoformat(), team)].append(gpu_hours)
    got = {(d, t): r for d, t, *r in _q(wh, "select cast(day as varchar), team, gpu_hours_held, peak_gpus_held, "
                                             "quota_gpus, quota_gpu_hours, hours_over_quota from "
                                             "marts.fct_gpu_team_usage_daily")}
    assert got.keys() == daily.keys()
    for key, hours in daily.items():
        g = got[key]
        assert math.isclose(g[0], sum(hours), rel_tol=1e-9) and math.isclose(g[1], max(hours), rel_tol=1e-9), key
        if key[1] == "research":
            over = sum(1 for h in hours if h > RESEARCH_QUOTA_GPUS + 1e-9)
            assert (g[2], g[3], g[4]) == (RESEARCH_QUOTA_GPUS, RESEARCH_QUOTA_GPUS * 24, over), key
        else:
            assert g[2:] == [None, None, None], key
    # llama-sft's 4 GPUs beside batch-eval's 2 put research over its 5 while it trains
    assert sum(g[4] for (_, t), g in got.items() if t == "research") > 0


def _check_training(wh: Path, sample_dir: Path, held: dict) -> None:
    jobs = {j.name: j for j in world.TRAINING_JOBS}
    onprem = next(h for h in world.HOSTS if h.provider == "onprem")
    day_cost = {d: c for d, c in _q(wh, "select cast(day as varchar), total_cost from marts.fct_onprem_cost_daily")}
    minutes: dict[str, list[datetime]] = defaultdict(list)
    gpu_hours: dict[tuple, float] = defaultdict(float)
    cost: dict[tuple, Decimal] = defaultdict(Decimal)
    for (hour, _), per_minute in held.items():
        for t, (workload, _) in per_minute.items():
            if workload in jobs:
                day = t.date().isoformat()
                minutes[workload].append(t)
                gpu_hours[(day, workload)] += 1 / 60
                # an on-prem host's day is shared by GPU time held over its GPUs x 24
                cost[(day, workload)] += day_cost[day] / 60 / (onprem.gpu_count * 24)
    steps: dict[tuple, float] = defaultdict(float)
    tokens: dict[tuple, float] = defaultdict(float)
    last_step: dict[str, datetime] = {}
    for metric, into in (("training_steps_total", steps), ("training_tokens_total", tokens)):
        for labels, points in _series(sample_dir, metric):
            for t, inc, _ in _increments(points):
                into[(t.date().isoformat(), labels["job_name"])] += inc
                if metric == "training_steps_total" and inc > 0:
                    last_step[labels["job_name"]] = max(t, last_step.get(labels["job_name"], t))
    got = {(d, j): r for d, j, *r in _q(wh, "select cast(day as varchar), job, gpu_hours, cost, steps, tokens, "
                                             "cost_per_1k_steps, cost_per_1m_tokens from marts.fct_training_daily")}
    assert got.keys() == gpu_hours.keys()
    for key, hours in gpu_hours.items():
        g = got[key]
        assert math.isclose(g[0], hours, rel_tol=1e-9) and abs(g[1] - cost[key]) < Decimal("1e-6"), key
        if key in steps:
            assert (g[2], g[3]) == (steps[key], tokens[key]), key
            assert abs(g[4] - g[1] * 1000 / Decimal(steps[key])) < Decimal("1e-6"), key
            assert abs(g[5] - g[1] * 1_000_000 / Decimal(tokens[key])) < Decimal("1e-6"), key
        else:
            assert g[2:] == [None, None, None, None], key
    runs = {j: r for j, *r in _q(wh, "select job, started_at, ended_at, wall_hours, gpu_hours, cost, steps, "
                                     "time_to_train_hours from marts.fct_training_runs")}
    assert runs.keys() == set(jobs)
    for name, r in runs.items():
        start, end = min(minutes[name]), max(minutes[name])
        assert (r[0], r[1]) == (start, end)
        assert math.isclose(r[2], (end - start + timedelta(minutes=1)) / timedelta(hours=1), rel_tol=1e-9)
        assert math.isclose(r[3], sum(v for (_, j), v in gpu_hours.items() if j == name), rel_tol=1e-9)
        assert abs(r[4] - sum((v for (_, j), v in cost.items() if j == name), Decimal(0))) < Decimal("1e-6")
        if name in last_step:
            assert r[5] == sum(v for (_, j), v in steps.items() if j == name)
            assert math.isclose(r[6], (last_step[name] - start) / timedelta(hours=1), rel_tol=1e-9)
        else:
            assert r[5] is None and r[6] is None  # no step counter: still GPU-hours and cost
    # the step counter restarted with the container: the steps before the restart still count
    sft = jobs["llama-sft"]
    assert runs["llama-sft"][5] == sft.steps_per_minute * (sft.hours * 60 - 2)


def _quantile_cont(values: list[float], q: float) -> float:
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = math.floor(pos)
    return s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (pos - lo)


def _check_rightsizing(wh: Path, sample_dir: Path, seen: dict, held: dict) -> None:
    """The README's rule: per service and GPU model, the percentiles of the hourly mean SM activity and the peak
    framebuffer over the GPU-hours its pods held a whole GPU alone; the cheapest fitting candidate."""
    model_of = {world.gpu_uuid(h, g): h.gpu_model for h in world.HOSTS for g in range(h.gpu_count)}
    short = {world.H100.name: "H100", world.A100.name: "A100", world.A10G.name: "A10G"}
    sm_hour: dict[tuple, list[float]] = defaultdict(list)
    fb_hour: dict[tuple, float] = defaultdict(float)
    for metric in ("DCGM_FI_PROF_SM_ACTIVE", "DCGM_FI_DEV_FB_USED"):
        for labels, points in _series(sample_dir, metric):
            for t, v in points:
                if metric == "DCGM_FI_PROF_SM_ACTIVE":
                    sm_hour[(_hour(t), labels["UUID"])].append(v)
                else:
                    fb_hour[(_hour(t), labels["UUID"])] = max(fb_hour[(_hour(t), labels["UUID"])], v)
    sm: dict[tuple, list[float]] = defaultdict(list)
    fb: dict[tuple, float] = defaultdict(float)
    hours: dict[tuple, set] = defaultdict(set)
    gpu_hours: dict[tuple, float] = defaultdict(float)
    for (hour, uuid), per_minute in held.items():
        workloads = {w for w, _ in per_minute.values()}
        if len(workloads) != 1:
            continue
        key = (workloads.pop(), short[model_of[uuid].name])
        sm[key].append(sum(sm_hour[(hour, uuid)]) / len(sm_hour[(hour, uuid)]))
        fb[key] = max(fb[key], fb_hour[(hour, uuid)])
        hours[key].add(hour)
        gpu_hours[key] += min(1.0, len(seen[(hour, uuid)]) / 60)
    prices = {(m, o): p for m, o, p in _q(wh, "select gpu_model, purchase_option, cost_per_gpu_hour "
                                             "from marts.fct_gpu_hour_price_comparison")}
    got = {(s, m): r for s, m, *r in _q(wh, "select service, gpu_model, hours_observed, p95_sm_active, "
                                             "peak_fb_used_mib, current_cost_per_gpu_hour, purchase_option, "
                                             "recommendation, recommended_cost_per_gpu_hour, monthly_saving, "
                                             "confidence, gpu_hours_observed from marts.fct_gpu_rightsizing")}
    assert got.keys() == sm.keys()
    window_hours = len({hour for hour, _ in seen})
    for key, values in sm.items():
        n_hours, p95, peak, current, option, recommendation, rec_cost, saving, confidence, observed = got[key]
        assert n_hours == len(hours[key]) and math.isclose(p95, _quantile_cont(values, 0.95), rel_tol=1e-9), key
        assert peak == fb[key] and math.isclose(observed, gpu_hours[key], rel_tol=1e-9), key
        model = key[1]
        # candidates by the README's rule: other GPU models at the service's purchase option (else on demand),
        # MIG profiles of an A100 40GB at their compute share; fits = memory and scaled p95 under the headroom
        candidates = []
        for m in {m for m, _ in prices} - {model}:
            price = prices.get((m, option), prices.get((m, "on_demand")))
            if price is not None and m in THROUGHPUT:
                candidates.append((price, m, MEMORY_GIB[m], THROUGHPUT[m]))
        if model == "A100":
            for profile, (slices, mem) in A100_40GB_MIG.items():
                candidates.append((current * slices / 7, f"A100 MIG {profile}", mem, THROUGHPUT["A100"] * slices / 7))
        fits = sorted((c for c in candidates if peak <= HEADROOM * c[2] * 1024
                       and p95 * THROUGHPUT[model] / c[3] <= HEADROOM and c[0] < current), key=lambda c: c[0])
        if not fits:
            assert recommendation == "keep" and saving == 0, key
            continue
        best = fits[0]
        assert recommendation == best[1] and math.isclose(rec_cost, best[0], rel_tol=1e-6), key
        want_saving = (current - best[0]) * observed / n_hours * 730
        assert math.isclose(float(saving), want_saving, rel_tol=1e-6), key
        assert confidence == ("medium" if n_hours >= 24 and n_hours / window_hours >= 0.5 else "low"), key
    # the over-provisioned sample: a small embedding model on a whole A100 fits a 2g.10gb slice
    assert got[("embeddings", "A100")][5] == "A100 MIG 2g.10gb" and got[("embeddings", "A100")][7] > 0


def test_fleet_marts_match_an_independent_calculation(built: Path, sample_dir: Path) -> None:
    seen, held = _gpu_minutes(sample_dir)
    _check_capacity(built, seen, held)
    _check_team_usage(built, held)
    _check_training(built, sample_dir, held)
    _check_rightsizing(built, sample_dir, seen, held)
