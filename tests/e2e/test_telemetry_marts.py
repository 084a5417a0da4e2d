"""Telemetry marts on the sample period, checked against plain Python over the query_range answers."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from collectors.samples import world
from tests.cur_totals import unique_line_items

pytestmark = pytest.mark.e2e


def _series(sample_dir: Path, folder: str) -> list[tuple[dict, list[tuple[datetime, float]]]]:
    """Every series of a metric over all days: (labels, [(time, value)]) with NaN skipped, time-sorted."""
    merged: dict[str, tuple[dict, list]] = {}
    for f in sorted((sample_dir / "prometheus" / "query_range" / folder).glob("*.json")):
        for s in json.loads(f.read_text())["data"]["result"]:
            key = json.dumps({k: v for k, v in s["metric"].items() if k not in ("instance", "job")}, sort_keys=True)
            merged.setdefault(key, (s["metric"], []))[1].extend(
                (datetime.fromtimestamp(t, timezone.utc).replace(tzinfo=None), float(v))
                for t, v in s["values"] if v.lower() != "nan")
    return [(labels, sorted(points)) for labels, points in merged.values()]


def _increments(points: list[tuple[datetime, float]]) -> list[tuple[datetime, float, bool]]:
    out, prev = [], None
    for t, v in points:
        out.append((t, 0.0 if prev is None else (v if v < prev else v - prev), prev is not None and v < prev))
        prev = v
    return out


def _hour(t: datetime) -> datetime:
    return t.replace(minute=0, second=0, microsecond=0)


def _service(pod: str) -> str:
    """The workload of a pod: a Deployment's (<name>-<ReplicaSet hash>-<5>) or a PyTorchJob's (<job>-master-0,
    <job>-worker-<n>)."""
    import re

    return re.sub(r"-(master|worker)-[0-9]+$", "", re.sub(r"-[a-z0-9]{6,10}-[a-z0-9]{5}$", "", pod))


def _quantile(q: float, buckets: list[tuple[float, float]]) -> float | None:
    """histogram_quantile over cumulative (le, count) pairs."""
    buckets = sorted(buckets)
    total = buckets[-1][1]
    if total <= 0:
        return None
    lower_le, lower_c = 0.0, 0.0
    for le, c in buckets:
        if c >= q * total:
            if math.isinf(le):
                return lower_le
            if c == lower_c:
                return le
            return lower_le + (le - lower_le) * (q * total - lower_c) / (c - lower_c)
        lower_le, lower_c = le, c
    return None


def _held_minutes(sample_dir: Path, uuids: set[str]) -> dict[tuple[str, str, str], set]:
    """Per (day, GPU UUID, workload), the minutes a DCGM sample of that GPU names one of the workload's pods (a free
    GPU's samples name none)."""
    held: dict[tuple[str, str, str], set] = defaultdict(set)
    for metric_dir in (sample_dir / "prometheus" / "query_range").glob("DCGM_*"):
        for labels, points in _series(sample_dir, metric_dir.name):
            if labels.get("UUID") in uuids and labels.get("pod"):
                for t, _ in points:
                    held[(t.date().isoformat(), labels["UUID"], _service(labels["pod"]))].add(t.replace(second=0))
    return held


def _q(wh: Path, sql: str) -> list[tuple]:
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_gpu_utilization_and_energy(built: Path, sample_dir: Path) -> None:
    energy: dict[tuple, float] = defaultdict(float)
    resets: dict[str, int] = defaultdict(int)
    # the energy counter is the GPU's, whichever pod holds it: a change of pod labels starts a new series in the
    # answers, not a new counter, so a GPU's points are one sequence
    per_gpu: dict[str, list] = defaultdict(list)
    for labels, points in _series(sample_dir, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"):
        per_gpu[labels["UUID"]].extend(points)
    for uuid, points in per_gpu.items():
        for t, inc, reset in _increments(sorted(points)):
            energy[(_hour(t), uuid)] += inc / 3.6e9
            resets[uuid] += reset
    util: dict[tuple, list[float]] = defaultdict(list)
    for labels, points in _series(sample_dir, "DCGM_FI_DEV_GPU_UTIL"):
        for t, v in points:
            util[(_hour(t), labels["UUID"])].append(v)
    rows = _q(built, "select hour_start, gpu_uuid, energy_kwh, avg_gpu_util_pct, energy_counter_resets "
                     "from marts.fct_gpu_utilization_hourly")
    got_energy = {(h, u): e for h, u, e, _, _ in rows}
    assert got_energy.keys() == energy.keys()
    assert all(math.isclose(got_energy[k], v, rel_tol=1e-12, abs_tol=1e-12) for k, v in energy.items())
    got_util = {(h, u): a for h, u, _, a, _ in rows}
    assert all(math.isclose(got_util[k], sum(v) / len(v), rel_tol=1e-12) for k, v in util.items())
    got_resets = defaultdict(int)
    for _, u, _, _, r in rows:
        got_resets[u] += r
    assert {u: n for u, n in got_resets.items() if n} == {u: n for u, n in resets.items() if n} != {}
    # every GPU meets its machine through the inventory (EKS node = private DNS, GKE node, on-prem CSV)
    machines = {world.gpu_uuid(h, g): (h.provider, h.resource_id, h.instance_type)
                for h in world.HOSTS for g in range(h.gpu_count)}
    got_machines = {u: (p, r, t) for u, p, r, t in _q(
        built, "select distinct gpu_uuid, provider, resource_id, instance_type from marts.fct_gpu_utilization_hourly")}
    assert got_machines == machines
    # cross-check: the energy counter and the integrated power agree within 5 % over the period
    total_counter, total_power = _q(built, "select sum(energy_kwh), sum(energy_from_power_kwh) "
                                           "from marts.fct_gpu_utilization_hourly")[0]
    assert abs(total_counter - total_power) / total_power < 0.05


def test_requests_tokens_and_latency(built: Path, sample_dir: Path) -> None:
    requests: dict[tuple, float] = defaultdict(float)
    for labels, points in _series(sample_dir, "vllm_request_success_total"):
        if labels["finished_reason"] in ("stop", "length"):
            for t, inc, _ in _increments(points):
                requests[(_hour(t), _service(labels["pod"]))] += inc
    tokens: dict[tuple, float] = defaultdict(float)
    for labels, points in _series(sample_dir, "vllm_generation_tokens_total"):
        for t, inc, _ in _increments(points):
            tokens[(_hour(t), _service(labels["pod"]))] += inc
    cumulative: dict[tuple, dict[float, float]] = defaultdict(lambda: defaultdict(float))
    for labels, points in _series(sample_dir, "vllm_e2e_request_latency_seconds_bucket"):
        le = float(labels["le"].replace("+Inf", "inf"))
        for t, inc, _ in _increments(points):
            cumulative[(_hour(t), _service(labels["pod"]))][le] += inc
    rows = _q(built, "select hour_start, service, requests, generation_tokens, latency_p95_s "
                     "from marts.fct_requests_hourly")
    assert {(h, s): r for h, s, r, _, _ in rows} == dict(requests)
    assert {(h, s): g for h, s, _, g, _ in rows} == dict(tokens)
    for h, s, _, _, p95 in rows:
        want = _quantile(0.95, list(cumulative[(h, s)].items()))
        assert (p95 is None and want is None) or math.isclose(p95, want, rel_tol=1e-9), (h, s)


def test_shared_gpu_instance_cost_follows_the_gpu_time_each_service_held(built: Path, sample_dir: Path) -> None:
    """The untagged shared instance's billed cost per day, split by the minutes each service's pods held its GPUs
    (read from the query_range answers), over its billed GPU-hours; the rest stays unallocated."""
    from decimal import Decimal

    from tests.e2e.test_whole_graph import _manifest_files

    host = next(h for h in world.HOSTS if h.hostname in world.SHARED_HOSTS)
    held = _held_minutes(sample_dir, {world.gpu_uuid(host, g) for g in range(host.gpu_count)})
    _, files = _manifest_files(sample_dir)
    cost: dict[str, Decimal] = defaultdict(Decimal)
    gpu_hours: dict[str, Decimal] = defaultdict(Decimal)
    for r in unique_line_items(files):
        if r["line_item_resource_id"] != host.resource_id:
            continue
        day = r["line_item_usage_start_date"].date().isoformat()
        cost[day] += Decimal(repr(r["line_item_unblended_cost"]))
        if r["pricing_unit"] == "Hrs" and r["line_item_line_item_type"] in ("Usage", "SavingsPlanCoveredUsage"):
            gpu_hours[day] += Decimal(repr(r["line_item_usage_amount"])) * host.gpu_count
    want: dict[tuple[str, str], float] = defaultdict(float)
    for (day, _, service), minutes in held.items():
        want[(day, service)] += float(cost[day]) * (len(minutes) / 60) / float(gpu_hours[day])
    rows = _q(built, "select cast(day as varchar), service, sum(net_billed_cost) from marts.fct_cost_allocation_daily "
                     "where allocation_method = 'gpu_time' and provider_name = 'AWS' group by all")
    got = {(d, s): float(v) for d, s, v in rows}
    assert got.keys() == want.keys() and {s for _, s in got} == {"batch-eval", "embeddings"}
    assert all(math.isclose(got[k], v, rel_tol=1e-9) for k, v in want.items())
    not_held = _q(built, "select sum(net_billed_cost) from marts.fct_cost_allocation_daily "
                         "where unallocated_reason = 'gpu_time_not_held' and provider_name = 'AWS'")[0][0]
    assert math.isclose(float(not_held), float(sum(cost.values())) - sum(want.values()), rel_tol=1e-9)
    # unit economics: cost per 1,000 requests is the allocated cost over the requests counted from the counters
    for day, service, cost_billed, requests, per_1k in _q(
            built, "select day, service, net_cost_billed, requests, cost_per_1k_requests_billed "
                   "from marts.fct_unit_economics_daily"):
        if requests:
            assert math.isclose(float(per_1k), float(cost_billed) * 1000 / requests, rel_tol=1e-9)
        else:  # a training job: cost, no requests
            assert per_1k is None and cost_billed > 0, (day, service)
    # GPU efficiency: idle and active GPU-hours per day and host from the answers (activity = max(SM, DRAM))
    minutes: dict[tuple, set] = defaultdict(set)
    activity: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    host_of = {world.gpu_uuid(h, g): world.node_name(h) for h in world.HOSTS for g in range(h.gpu_count)}
    for metric_dir in (sample_dir / "prometheus" / "query_range").glob("DCGM_*"):
        for labels, points in _series(sample_dir, metric_dir.name):
            for t, v in points:
                minutes[(_hour(t), labels["UUID"])].add(t)
                if metric_dir.name in ("DCGM_FI_PROF_SM_ACTIVE", "DCGM_FI_PROF_DRAM_ACTIVE"):
                    activity[(_hour(t), labels["UUID"])][metric_dir.name].append(v)
    idle: dict[tuple[str, str], float] = defaultdict(float)
    active: dict[tuple[str, str], float] = defaultdict(float)
    for (h, uuid), seen_minutes in minutes.items():
        cov = min(1.0, len(seen_minutes) / 60)
        acts = activity[(h, uuid)]
        level = max(sum(v) / len(v) for v in acts.values())
        key = (h.date().isoformat(), host_of[uuid])
        active[key] += cov * level
        if level < 0.10:
            idle[key] += cov
    got_eff = {(d, host): (i, a) for d, host, i, a in _q(
        built, "select cast(day as varchar), hostname, sum(idle_gpu_hours), sum(active_gpu_hours) "
               "from marts.fct_gpu_efficiency_daily group by all")}
    assert got_eff.keys() == active.keys() and any(v > 0 for v in idle.values())
    for k in active:
        assert math.isclose(got_eff[k][0], idle.get(k, 0.0), abs_tol=1e-9), k
        assert math.isclose(got_eff[k][1], active[k], rel_tol=1e-9), k


def test_bottleneck_labels_follow_the_documented_rules(built: Path, sample_dir: Path) -> None:
    names = {"sm": "DCGM_FI_PROF_SM_ACTIVE", "tensor": "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE",
             "dram": "DCGM_FI_PROF_DRAM_ACTIVE", "nvlink": "DCGM_FI_PROF_NVLINK_TX_BYTES",
             "pcie": "DCGM_FI_PROF_PCIE_RX_BYTES"}
    per_gpu: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for key, metric in names.items():
        for labels, points in _series(sample_dir, metric):
            for t, v in points:
                per_gpu[(_hour(t), labels["Hostname"], labels["UUID"])][key].append(v)
    hosts: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (h, host, _), metrics in per_gpu.items():
        for key, values in metrics.items():
            hosts[(h, host)][key].append(sum(values) / len(values))
    want = {}
    for k, m in hosts.items():
        avg = {key: sum(v) / len(v) for key, v in m.items()}
        nvlink, pcie = avg.get("nvlink", 0) / 1e9, avg.get("pcie", 0) / 1e9
        if max(avg["sm"], avg.get("dram", 0)) < 0.10:
            want[k] = "idle"
        elif avg.get("tensor", 0) >= 0.40 or avg["sm"] >= 0.75:
            want[k] = "compute-bound"
        elif avg.get("dram", 0) >= 0.50 and avg["dram"] >= avg["sm"]:
            want[k] = "memory-bound"
        elif nvlink >= 20:
            want[k] = "communication-bound"
        elif pcie >= 4:
            want[k] = "input-bound"
        else:
            want[k] = "underutilized"
    got = dict(((h, host), label) for h, host, label in _q(
        built, "select hour_start, hostname, bottleneck from marts.fct_bottleneck_hourly"))
    assert got == want
    assert {"communication-bound", "input-bound"} <= set(got.values())
    purchase = dict(_q(built, "select distinct hostname, purchase_option from marts.fct_gpu_efficiency_daily "
                              "where provider in ('aws', 'onprem')"))
    assert purchase == {world.node_name(h): h.purchase for h in world.HOSTS if h.provider in ("aws", "onprem")}


def _amortized(r: dict) -> Decimal:
    """A CUR line's amortized cost, as AWS documents the amortized view: Savings Plan covered usage at its effective
    cost, the negation that cancels its on-demand price at 0, a reservation's usage at its effective cost; any other
    line at its unblended cost (Savings Plan fees are account-level lines, never a service's)."""
    kind = r["line_item_line_item_type"]
    if kind == "SavingsPlanCoveredUsage":
        return Decimal(repr(r["savings_plan_savings_plan_effective_cost"]))
    if kind == "SavingsPlanNegation":
        return Decimal(0)
    if kind == "DiscountedUsage":
        return Decimal(repr(r["reservation_effective_cost"]))
    return Decimal(repr(r["line_item_unblended_cost"]))


def test_unit_economics_per_service_and_day_from_the_files(built: Path, sample_dir: Path) -> None:
    """The headline mart recomputed from the raw files alone: each service's billed and amortized cost per day (its
    tagged CUR lines, its labelled GCP rows, and its share of the untagged shared instance by the GPU minutes its
    pods held over the instance's billed GPU-hours), requests and tokens from the vLLM counters, cost per 1,000
    requests and per million tokens, and the day's p99 latency from the summed histogram buckets."""
    from decimal import Decimal

    from tests.e2e.test_whole_graph import _gcp_amortized, _manifest_files

    shared = next(h for h in world.HOSTS if h.hostname in world.SHARED_HOSTS)
    uuids = {world.gpu_uuid(shared, g) for g in range(shared.gpu_count)}
    billed: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    amortized: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    shared_cost: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    _, files = _manifest_files(sample_dir)
    for r in unique_line_items(files):
        day = r["line_item_usage_start_date"].date().isoformat()
        if r["line_item_resource_id"] == shared.resource_id:
            shared_cost[day][0] += Decimal(repr(r["line_item_unblended_cost"]))
            shared_cost[day][1] += _amortized(r)
            if r["pricing_unit"] == "Hrs" and r["line_item_line_item_type"] in ("Usage", "SavingsPlanCoveredUsage"):
                shared_cost[day][2] += Decimal(repr(r["line_item_usage_amount"])) * shared.gpu_count
            continue
        service = dict(r["resource_tags"] or []).get("user_service")
        if service:
            billed[(day, service)] += Decimal(repr(r["line_item_unblended_cost"]))
            amortized[(day, service)] += _amortized(r)
    # GCP: billed = cost + credits; amortized adds the committed use discount fee of the units a row drew
    for r, row_amortized in _gcp_amortized(sample_dir):
        service = {lb["key"]: lb["value"] for lb in r["labels"]}.get("service")
        if service:
            net = Decimal(repr(r["cost"])) + sum((Decimal(repr(c["amount"])) for c in r["credits"]), Decimal(0))
            billed[(r["usage_start_time"][:10], service)] += net
            amortized[(r["usage_start_time"][:10], service)] += row_amortized
    held = _held_minutes(sample_dir, uuids)
    for (day, _, service), minutes in held.items():
        share = Decimal(len(minutes)) / 60 / shared_cost[day][2]
        billed[(day, service)] += shared_cost[day][0] * share
        amortized[(day, service)] += shared_cost[day][1] * share
    # an on-prem host's day (fct_onprem_cost_daily, checked against the hardware register in test_whole_graph) is
    # shared by the GPU minutes each service's pods held over its GPUs x 24, in both views
    onprem = next(h for h in world.HOSTS if h.provider == "onprem")
    onprem_uuids = {world.gpu_uuid(onprem, g) for g in range(onprem.gpu_count)}
    onprem_cost = dict(_q(built, "select cast(day as varchar), total_cost from marts.fct_onprem_cost_daily"))
    for (day, _, service), minutes in _held_minutes(sample_dir, onprem_uuids).items():
        part = onprem_cost[day] * Decimal(len(minutes)) / 60 / (onprem.gpu_count * 24)
        billed[(day, service)] += part
        amortized[(day, service)] += part
    requests: dict[tuple[str, str], float] = defaultdict(float)
    tokens: dict[tuple[str, str], float] = defaultdict(float)
    buckets: dict[tuple[str, str], dict[float, float]] = defaultdict(lambda: defaultdict(float))
    for folder in ("vllm_request_success_total", "vllm_prompt_tokens_total", "vllm_generation_tokens_total",
                   "vllm_e2e_request_latency_seconds_bucket"):
        for labels, points in _series(sample_dir, folder):
            for t, inc, _ in _increments(points):
                key = (t.date().isoformat(), _service(labels["pod"]))
                if folder == "vllm_request_success_total" and labels["finished_reason"] in ("stop", "length"):
                    requests[key] += inc
                elif folder.endswith("tokens_total"):
                    tokens[key] += inc
                elif folder.endswith("_bucket"):
                    buckets[key][float(labels["le"].replace("+Inf", "inf"))] += inc
    rows = {(str(d), s): r for d, s, *r in _q(built, """
        select day, service, net_cost_billed, net_cost_amortized, requests, cost_per_1k_requests_billed,
               cost_per_1k_requests_amortized, cost_per_1m_tokens, p99_latency_s
        from marts.fct_unit_economics_daily""")}
    assert rows.keys() == set(billed) | set(requests)
    tiny = Decimal("1e-6")
    for key, (cost_b, cost_a, n, per_1k_b, per_1k_a, per_1m, p99) in rows.items():
        assert abs(cost_b - billed[key]) < tiny and abs(cost_a - amortized[key]) < tiny, key
        assert n == requests.get(key, 0), key
        if n:
            assert abs(per_1k_b - billed[key] * 1000 / Decimal(n)) < tiny, key
            assert abs(per_1k_a - amortized[key] * 1000 / Decimal(n)) < tiny, key
            assert abs(per_1m - amortized[key] * 1_000_000 / Decimal(tokens[key])) < tiny, key
            assert math.isclose(p99, _quantile(0.99, list(buckets[key].items())), rel_tol=1e-9), key
    assert any(rows[k][1] != rows[k][0] for k in rows)  # the Savings Plan makes amortized differ from billed
