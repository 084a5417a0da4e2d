"""A month our sample generator did not write, run end to end as a user runs it, every per-service figure checked
against a calculation made here from the raw files and the providers' documented rules (not from the models' SQL).

Sources travel the real way: the CUR 2.0 export and the GCP export from S3 (moto on loopback, boto3 over HTTP), DCGM
and vLLM history from a Prometheus HTTP API on loopback, the on-prem hosts file from disk.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.e2e import independent_month as month
from tests.integration.conftest import make_bucket, moto_endpoint  # noqa: F401 (fixtures)
from tests.integration.loopback import LoopbackServer, send_json

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CLI = str(Path(sys.executable).parent / "infraledger")
CENT = Decimal("0.01")
GIB_IN_GB = Decimal("1.073741824")          # 2^30 bytes / 10^9
# Machine shapes from the providers' documentation (AWS P5; GCP accelerator-optimized A3 High and G2 standard).
GPUS = {"p5.48xlarge": (8, "H100"), "a3-highgpu-8g": (8, "H100"), "g2-standard-48": (4, "L4")}
VCPUS = {"a3-highgpu-8g": 208, "g2-standard-48": 48}
# Kubernetes owners of the pods, from how each controller names its pods (Deployment <name>-<rs hash>-<5>,
# PyTorchJob <job>-master-<i> / <job>-worker-<i>, MPIJob launcher <job>-launcher-<5>).
WORKLOAD = {"chat-api-6d4f9b7c5-x2x9q": "chat-api", "chat-api-6d4f9b7c5-bk7qz": "chat-api",
            "embeddings-7b9c6d5f8-q2w4z": "embeddings", "llm-pretrain-master-0": "llm-pretrain",
            "llm-pretrain-worker-0": "llm-pretrain", "ft-ab12cd-worker-3": "ft-ab12cd", "train-master-0": "train",
            "mpi-launcher-x7k2p": "mpi"}


class Prometheus(LoopbackServer):
    """/api/v1/query_range over fixed series: the points of the named metric inside [start, end]."""

    def __init__(self, series: list[tuple[dict[str, str], list[tuple[int, float]]]]) -> None:
        self.series = series
        super().__init__()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        series = self.series

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                q = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                start, end = float(q["start"]), float(q["end"])
                result = [{"metric": labels, "values": [[t, repr(v)] for t, v in points if start <= t <= end]}
                          for labels, points in series if labels["__name__"] == q["query"]]
                send_json(self, 200, {"status": "success", "data": {"resultType": "matrix",
                                                                     "result": [r for r in result if r["values"]]}})

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _d(x: object) -> Decimal:
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(str(x))


def _expected(cur_file: Path, gcp_file: Path) -> dict[str, dict]:
    """Per (service, day): net and gross cost; per class: egress GB and cost; per GPU model: billed GPU-hours."""
    net: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    gross: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    invoice: dict[str, Decimal] = defaultdict(Decimal)
    egress_gb: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    egress_cost: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    gpu_hours: dict[str, Decimal] = defaultdict(Decimal)
    for r in pq.read_table(cur_file).to_pylist():
        day = r["line_item_usage_start_date"].date().isoformat()
        service = dict(r["resource_tags"]).get("user_service", "unallocated")
        net[(service, day)] += _d(r["line_item_net_unblended_cost"])
        gross[(service, day)] += _d(r["line_item_unblended_cost"])
        invoice[day] += _d(r["line_item_unblended_cost"])       # what the invoice says, discount lines included
        utype, op = r["line_item_usage_type"], r["line_item_operation"]
        if r["line_item_line_item_type"] != "Usage" or "Bytes" not in utype:
            if r["line_item_line_item_type"] == "Usage" and r["pricing_unit"] == "Hrs":
                count, model = GPUS[r["product_instance_type"]]
                gpu_hours[model] += _d(r["line_item_usage_amount"]) * count
            continue
        if utype.endswith("-In-Bytes") or op == "InterZone-In":   # the receiving side of a transfer
            cls = "inbound"
        elif utype.endswith("-AWS-Out-Bytes"):
            cls = "inter_region"
        elif utype.endswith("DataTransfer-Regional-Bytes"):
            cls = "inter_az"
        else:
            cls = "internet"
        egress_gb[("AWS", cls)] += _d(r["line_item_usage_amount"])
        egress_cost[("AWS", cls)] += _d(r["line_item_unblended_cost"])
    for line in gcp_file.read_text().splitlines():
        r = json.loads(line)
        day = r["usage_start_time"][:10]
        labels = {kv["key"]: kv["value"] for kv in r["labels"]}
        cost = _d(r["cost"]) + sum((_d(c["amount"]) for c in r["credits"]), Decimal(0))
        net[(labels.get("service", "unallocated"), day)] += cost
        gross[(labels.get("service", "unallocated"), day)] += cost   # GCP states net cost on the row itself
        sku, usage = r["sku"]["description"], r["usage"]
        machine = {kv["key"]: kv["value"] for kv in r["system_labels"]}.get("compute.googleapis.com/machine_spec")
        if sku.startswith("Nvidia ") and " GPU running in " in sku:
            gpu_hours[sku.split()[1]] += _d(usage["amount_in_pricing_units"])          # GPU-hours
        elif machine and "Instance Core" in sku:
            count, model = GPUS[machine]
            gpu_hours[model] += _d(usage["amount_in_pricing_units"]) / VCPUS[machine] * count
        if usage["pricing_unit"] == "gibibyte":
            cls = ("inbound" if "Ingress" in sku else "inter_region" if "Inter Region" in sku
                   else "internet" if sku.startswith("Download ") else "other")
            egress_gb[("Google Cloud", cls)] += _d(usage["amount_in_pricing_units"]) * GIB_IN_GB
            egress_cost[("Google Cloud", cls)] += cost
    return {"net": dict(net), "gross": dict(gross), "invoice": dict(invoice), "egress_gb": dict(egress_gb),
            "egress_cost": dict(egress_cost), "gpu_hours": dict(gpu_hours)}


def _requests(series: list[tuple[dict[str, str], list[tuple[int, float]]]]) -> dict[tuple[str, str], Decimal]:
    """Successful requests per (service, day): counter increments, a drop being a restart counted from zero, the
    window's first point contributing nothing (nothing says when those requests happened)."""
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for labels, points in series:
        if labels["__name__"] != "vllm:request_success_total":
            continue
        for (_, before), (t, value) in zip(points, points[1:]):
            inc = value - before if value >= before else value
            out[(WORKLOAD[labels["pod"]], dt.datetime.fromtimestamp(t, dt.timezone.utc).date().isoformat())] += _d(inc)
    return dict(out)


def _held(series: list[tuple[dict[str, str], list[tuple[int, float]]]]) -> dict[tuple[str, str], Decimal]:
    """GPU-hours each workload's pods held per day: one GPU for every minute a sample names the pod."""
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for labels, points in series:
        for t, _ in points:
            day = dt.datetime.fromtimestamp(t, dt.timezone.utc).date().isoformat()
            out[(WORKLOAD[labels["exported_pod"]], day)] += Decimal(1) / 60
    return dict(out)


@pytest.fixture
def month_run(infraledger_env: Path, tmp_path: Path, make_bucket, moto_endpoint: str,  # noqa: F811
              monkeypatch: pytest.MonkeyPatch) -> tuple[subprocess.CompletedProcess, Path, Path]:
    """The month's files on S3 and Prometheus, then `infraledger materialize --partition 2026-11-01`."""
    s3 = make_bucket(month.BUCKET)
    cur_root, gcp_root = tmp_path / "month" / "cur", tmp_path / "month" / "gcp"
    cur_files = month.write_cur(cur_root)
    gcp_file = month.write_gcp(gcp_root)
    for f in cur_files:
        s3.upload_file(str(f), month.BUCKET, f"{month.PREFIX}/{f.relative_to(cur_root).as_posix()}")
    s3.upload_file(str(gcp_file), month.BUCKET, f"gcp-export/{gcp_file.relative_to(gcp_root).as_posix()}")
    hosts = tmp_path / "month" / "hosts.csv"
    hosts.write_text(month.HOSTS_CSV)
    empty = tmp_path / "month" / "empty"
    empty.mkdir()
    series = month.dcgm_series() + month.vllm_series()
    env = {
        "INFRALEDGER_SOURCES_AWS_CUR_LOCATION": f"s3://{month.BUCKET}/{month.PREFIX}",
        "INFRALEDGER_SOURCES_AWS_CUR_EXPORT_NAME": month.EXPORT,
        "INFRALEDGER_SOURCES_AWS_CUR_ENDPOINT_URL": moto_endpoint,
        "INFRALEDGER_SOURCES_GCP_BILLING_LOCATION": f"s3://{month.BUCKET}/gcp-export",
        "INFRALEDGER_SOURCES_GCP_BILLING_ENDPOINT_URL": moto_endpoint,
        "INFRALEDGER_SOURCES_PROMETHEUS_METRICS": json.dumps(sorted({s[0]["__name__"] for s in series})),
        "INFRALEDGER_SOURCES_DCGM_EXPORTER_LOCATION": str(empty),
        "INFRALEDGER_SOURCES_SERVING_LOCATION": str(empty),
        "INFRALEDGER_SOURCES_INVENTORY_HOSTS_CSV": str(hosts),
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with Prometheus(series) as prom:
        monkeypatch.setenv("INFRALEDGER_SOURCES_PROMETHEUS_LOCATION", prom.endpoint)
        run = subprocess.run([CLI, "materialize", "--partition", "2026-11-01"], capture_output=True, text=True,
                             timeout=1800, env=dict(os.environ))
    return run, cur_files[0], gcp_file


def _q(warehouse: Path, sql: str) -> list[tuple]:
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_an_independent_month_is_right_to_the_cent(month_run, infraledger_env: Path) -> None:
    run, cur_file, gcp_file = month_run
    assert run.returncode == 0, run.stderr[-6000:]
    assert "2026-11-01: ok" in run.stderr, run.stderr[-3000:]
    expected = _expected(cur_file, gcp_file)
    series = month.dcgm_series() + month.vllm_series()
    wh = infraledger_env
    days = [d.isoformat() for d in month.DAYS]

    # net and amortized cost per service and day (no commitments this month: amortized = billed), gross beside
    got = {(s, str(d)): (nb, ne, gb) for s, d, nb, ne, gb in _q(wh, """
        select service, day, sum(net_billed_cost), sum(net_effective_cost), sum(gross_billed_cost)
        from marts.fct_cost_allocation_daily group by all""")}
    assert set(got) == set(expected["net"])
    for key, value in expected["net"].items():
        nb, ne, gb = got[key]
        assert nb.quantize(CENT) == value.quantize(CENT), key
        assert ne.quantize(CENT) == value.quantize(CENT), key
        assert gb.quantize(CENT) == expected["gross"][key].quantize(CENT), key
    # the discount lives in each line's net cost; in the gross view it is the discount lines, left unallocated
    for day in days:
        discount = sum(expected["gross"][k] - expected["net"][k] for k in expected["net"] if k[1] == day)
        unallocated_net, _, unallocated_gross = got[("unallocated", day)]
        assert discount == 0 and (unallocated_gross - unallocated_net).quantize(CENT) == \
            -sum(expected["gross"][(s, day)] - expected["net"][(s, day)]
                 for s in ("chat-api",)).quantize(CENT)
    # Σ net over services and unallocated = the invoice's total, per day
    aws_net = dict(_q(wh, "select cast(day as varchar), sum(net_billed_cost) from marts.fct_cost_allocation_daily "
                          "where provider_name = 'AWS' group by 1"))
    assert {d: v.quantize(CENT) for d, v in aws_net.items()} == {d: v.quantize(CENT)
                                                                 for d, v in expected["invoice"].items()}

    # egress GB (10^9 bytes) and cost per class; receiving sides are `inbound`, never egress
    egress = {(p, c): (gb, cost) for p, c, gb, cost in _q(wh, """
        select provider, egress_class, sum(gb), sum(billed_cost) from marts.fct_egress_daily group by all""")}
    assert set(egress) == set(expected["egress_gb"])
    for key, gb in expected["egress_gb"].items():
        assert egress[key][0].quantize(Decimal("0.000001")) == gb.quantize(Decimal("0.000001")), key
        assert egress[key][1].quantize(CENT) == expected["egress_cost"][key].quantize(CENT), key
    out_gb = _q(wh, "select sum(gb) from marts.fct_egress_daily where provider = 'AWS' and egress_class = "
                    "'inter_region'")[0][0]
    in_gb = _q(wh, "select sum(gb) from marts.fct_egress_daily where provider = 'AWS' and transfer_class = "
                   "'inter_region' and direction = 'in'")[0][0]
    assert out_gb == in_gb > 0  # the same bytes seen at both ends, counted once

    # billed GPU-hours per GPU model, GCP included (GPU SKUs and a3/g2 machines)
    gpu = {m: h for m, h in _q(wh, "select gpu_model, sum(gpu_hours) from marts.fct_gpu_instance_hours_daily "
                                   "group by 1")}
    assert {m: h.quantize(CENT) for m, h in gpu.items()} == {m: h.quantize(CENT)
                                                             for m, h in expected["gpu_hours"].items()}
    machines = {r.rsplit("/", 1)[-1]: t for r, t in _q(wh, "select resource_id, instance_type from "
                "marts.fct_gpu_instance_hours_daily where provider_name = 'Google Cloud' group by all")}
    assert machines == {month.A3_VM: "a3-highgpu-8g", month.G2_VM: "g2-standard-48", month.H100_VM: None}

    # requests, GPU-hours held, and cost per 1,000 requests (net amortized) per workload and day
    requests = _requests(series)
    held = _held(month.dcgm_series())
    rows = {(s, str(d)): r for s, d, *r in _q(wh, """
        select service, day, requests, net_cost_amortized, cost_per_1k_requests_amortized, gpu_hours, currency,
               cost_note
        from marts.fct_unit_economics_daily""")}
    for (service, day), n in requests.items():
        req, cost, per_1k, *_ = rows[(service, day)]
        assert req == n, (service, day)
        assert cost.quantize(CENT) == expected["net"][(service, day)].quantize(CENT)
        assert per_1k.quantize(CENT) == (expected["net"][(service, day)] * 1000 / n).quantize(CENT)
    for (workload, day), hours in held.items():
        *_, gpu_hours, currency, note = rows[(workload, day)]
        assert Decimal(repr(gpu_hours)).quantize(Decimal("0.0001")) == hours.quantize(Decimal("0.0001"))
        assert currency == "USD"
        if (workload, day) not in expected["net"]:   # GPU time, no bill line: zero cost and the reason
            assert rows[(workload, day)][1] == 0 and note and note.startswith("no cost allocated")
    assert {w for w, _ in held} == {"chat-api", "embeddings", "llm-pretrain", "ft-ab12cd", "train", "mpi"}

    # the month as the report, the summary and `status` read it (fct_service_costs_monthly, fct_headline_monthly):
    # each service's month is the sum of its days, unit costs over the month's sums, the headline the whole bill
    by_service: dict[str, Decimal] = {}
    for (service, _), value in expected["net"].items():
        by_service[service] = by_service.get(service, Decimal(0)) + value
    monthly = {(s, r): (cost, req, per_1k) for s, r, cost, req, per_1k in _q(wh, """
        select service, unallocated_reason, net_cost_amortized, requests, cost_per_1k_requests
        from marts.fct_service_costs_monthly where month = date '2026-11-01'""")}
    unallocated = sum((c for (s, _), (c, _, _) in monthly.items() if s == "unallocated"), Decimal(0))
    assert unallocated.quantize(CENT) == by_service.get("unallocated", Decimal(0)).quantize(CENT)
    month_requests: dict[str, Decimal] = {}
    for (service, _), n in requests.items():
        month_requests[service] = month_requests.get(service, Decimal(0)) + n
    for service, total in by_service.items():
        if service == "unallocated":
            continue
        cost, req, per_1k = monthly[(service, None)]
        assert cost.quantize(CENT) == total.quantize(CENT), service
        if service in month_requests:
            assert req == month_requests[service]
            assert per_1k.quantize(CENT) == (total * 1000 / month_requests[service]).quantize(CENT)
    [(headline, headline_unallocated)] = _q(wh, "select net_cost_amortized, unallocated_amortized "
                                                "from marts.fct_headline_monthly where month = date '2026-11-01'")
    assert headline.quantize(CENT) == sum(expected["net"].values()).quantize(CENT)
    assert headline_unallocated.quantize(CENT) == by_service.get("unallocated", Decimal(0)).quantize(CENT)
    # a GKE node is matched to its VM on the GCP bill without any inventory: its GPU time has billed hours
    efficiency = {(h, str(d)): b for h, d, b in _q(wh, "select hostname, day, sum(billed_gpu_hours) "
                                                      "from marts.fct_gpu_efficiency_daily group by all")}
    assert efficiency[(month.A3_VM, days[0])] == 192
