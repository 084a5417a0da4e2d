"""A month of bills and telemetry written the way the providers write them, independently of collectors/samples.

November 2026, two days, one AWS payer with an enterprise discount (EDP 7 %) and "manual discount compatibility"
(discounts as EdpDiscount line items, every usage line carrying its net cost in line_item_net_unblended_cost), a GCP
detailed billing export, DCGM and vLLM history behind a Prometheus HTTP API, and an on-prem hosts file without a
provider column. Field names and usage types follow the providers' documentation:

* AWS Data Exports (CUR 2.0) Parquet in the export's S3 layout; the manifest has no ``billingPeriod`` (the period is
  in the ``BILLING_PERIOD=`` folder); tags as ``user_<key>`` in ``resource_tags``. An inter-region transfer appears
  as ``USE1-USW2-AWS-Out-Bytes`` at the source and ``USW2-USE1-AWS-In-Bytes`` ($0) at the destination; inter-AZ
  traffic is ``USE1-DataTransfer-Regional-Bytes`` billed once per direction (operations InterZone-Out / -In).
* GCP: Cloud Storage "Download …" SKUs (bytes, priced per gibibyte), "Network Inter Region Data Transfer Out" and the
  older "Network Inter Region Egress" wording, an ingress SKU, "Nvidia H100 80GB GPU running in Americas" on a VM
  without system labels, and a3-highgpu-8g / g2-standard-48 VMs whose GPUs are part of the machine price (system label
  ``compute.googleapis.com/machine_spec``).
* Kubernetes pods named by their owners: a Deployment (``chat-api-6d4f9b7c5-x2x9q``), a PyTorchJob
  (``llm-pretrain-master-0``, ``llm-pretrain-worker-0``), a fine-tuning JobSet-style ``ft-ab12cd-worker-3``, an MPIJob
  launcher ``mpi-launcher-x7k2p`` and ``train-master-0``; DCGM series scraped through a ServiceMonitor, so the
  workload pod is ``exported_pod`` and ``pod``/``service`` name the exporter.

Everything is plain data: the test computes its expectations from these files, never from this module's constants.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

DAYS = (dt.date(2026, 11, 1), dt.date(2026, 11, 2))
PERIOD_START = dt.datetime(2026, 11, 1)
PERIOD_END = dt.datetime(2026, 12, 1)
EXPORT = "acme-cur2"
BUCKET = "acme-billing-exports"
PREFIX = "cur2"
GCP_TABLE = "gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9"
EDP = 0.07
PAYER = "999988887777"
ACCOUNT = "123456789012"
DEST_ACCOUNT = "123456789099"

# --- AWS CUR 2.0 ------------------------------------------------------------------------------------------------

_S, _F, _T = pa.string(), pa.float64(), pa.timestamp("ms")
CUR_SCHEMA = pa.schema([
    ("bill_bill_type", _S), ("bill_billing_entity", _S), ("bill_billing_period_end_date", _T),
    ("bill_billing_period_start_date", _T), ("bill_invoice_id", _S), ("bill_invoicing_entity", _S),
    ("bill_payer_account_id", _S), ("bill_payer_account_name", _S), ("cost_category", pa.map_(_S, _S)),
    ("identity_line_item_id", _S), ("identity_time_interval", _S), ("line_item_availability_zone", _S),
    ("line_item_blended_cost", _F), ("line_item_currency_code", _S), ("line_item_legal_entity", _S),
    ("line_item_line_item_description", _S), ("line_item_line_item_type", _S), ("line_item_net_unblended_cost", _F),
    ("line_item_net_unblended_rate", _S), ("line_item_operation", _S), ("line_item_product_code", _S),
    ("line_item_resource_id", _S), ("line_item_unblended_cost", _F), ("line_item_unblended_rate", _S),
    ("line_item_usage_account_id", _S), ("line_item_usage_account_name", _S), ("line_item_usage_amount", _F),
    ("line_item_usage_end_date", _T), ("line_item_usage_start_date", _T), ("line_item_usage_type", _S),
    ("pricing_public_on_demand_cost", _F), ("pricing_public_on_demand_rate", _S), ("pricing_term", _S),
    ("pricing_unit", _S), ("product", pa.map_(_S, _S)), ("product_from_region_code", _S),
    ("product_instance_type", _S), ("product_location", _S), ("product_product_family", _S),
    ("product_region_code", _S), ("product_servicecode", _S), ("product_sku", _S), ("product_to_region_code", _S),
    ("product_usagetype", _S), ("resource_tags", pa.map_(_S, _S)),
    ("savings_plan_net_savings_plan_effective_cost", _F), ("savings_plan_savings_plan_effective_cost", _F),
])

P5 = "i-0c4a1f9e2b7d63a05"
CHAT_TAGS = {"user_service": "chat-api", "user_team": "inference", "aws_createdBy": "IAMUser:AIDAEXAMPLE:ops"}


def _id(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:52]


def _cur_line(start: dt.datetime, *, line_type: str, product: str, usage_type: str, operation: str, usage: float,
              unit: str, rate: float, description: str, resource: str = "", tags: dict[str, str] | None = None,
              region: str = "us-east-1", az: str = "", instance_type: str = "", family: str = "",
              account: str = ACCOUNT, from_region: str = "", to_region: str = "") -> dict[str, object]:
    cost = round(usage * rate, 8)
    net = round(cost * (1 - EDP), 8)
    end = start + dt.timedelta(hours=1)
    return {
        "bill_bill_type": "Anniversary", "bill_billing_entity": "AWS", "bill_billing_period_end_date": PERIOD_END,
        "bill_billing_period_start_date": PERIOD_START, "bill_invoice_id": "", "bill_invoicing_entity":
            "Amazon Web Services, Inc.", "bill_payer_account_id": PAYER, "bill_payer_account_name": "acme-payer",
        "cost_category": [], "identity_line_item_id": _id(resource, usage_type, operation, start, account),
        "identity_time_interval": f"{start:%Y-%m-%dT%H:%M:%S}Z/{end:%Y-%m-%dT%H:%M:%S}Z",
        "line_item_availability_zone": az, "line_item_blended_cost": cost, "line_item_currency_code": "USD",
        "line_item_legal_entity": "Amazon Web Services, Inc.", "line_item_line_item_description": description,
        "line_item_line_item_type": line_type, "line_item_net_unblended_cost": net,
        "line_item_net_unblended_rate": f"{rate * (1 - EDP):.10f}", "line_item_operation": operation,
        "line_item_product_code": product, "line_item_resource_id": resource, "line_item_unblended_cost": cost,
        "line_item_unblended_rate": f"{rate:.10f}", "line_item_usage_account_id": account,
        "line_item_usage_account_name": "ml-prod" if account == ACCOUNT else "ml-dr",
        "line_item_usage_amount": usage, "line_item_usage_end_date": end, "line_item_usage_start_date": start,
        "line_item_usage_type": usage_type, "pricing_public_on_demand_cost": cost,
        "pricing_public_on_demand_rate": f"{rate:.10f}", "pricing_term": "OnDemand", "pricing_unit": unit,
        "product": [("region", region), ("servicename", product)], "product_from_region_code": from_region,
        "product_instance_type": instance_type, "product_location": "", "product_product_family": family,
        "product_region_code": region, "product_servicecode": product, "product_sku": _id(product, usage_type)[:16].upper(),
        "product_to_region_code": to_region, "product_usagetype": usage_type,
        "resource_tags": sorted((tags or {}).items()),
        "savings_plan_net_savings_plan_effective_cost": None, "savings_plan_savings_plan_effective_cost": None,
    }


def _edp_line(day: dt.date, product: str, usage_type: str, lines: list[dict[str, object]]) -> dict[str, object]:
    """The day's EdpDiscount line of one product and usage type: minus the discount every line already nets out."""
    gross = sum(line["line_item_unblended_cost"] for line in lines)
    net = sum(line["line_item_net_unblended_cost"] for line in lines)
    start = dt.datetime.combine(day, dt.time())
    row = _cur_line(start, line_type="EdpDiscount", product=product, usage_type=usage_type, operation="",
                    usage=0.0, unit="", rate=0.0, description="Enterprise Discount Program discount")
    row.update(line_item_unblended_cost=round(net - gross, 8), line_item_blended_cost=None,
               line_item_net_unblended_cost=0.0, line_item_net_unblended_rate="", line_item_unblended_rate="",
               pricing_public_on_demand_cost=0.0, pricing_public_on_demand_rate="",
               identity_line_item_id=_id("edp", product, usage_type, day),
               identity_time_interval=f"{day:%Y-%m-%d}T00:00:00Z/{day + dt.timedelta(days=1):%Y-%m-%d}T00:00:00Z")
    return row


def cur_rows() -> list[dict[str, object]]:
    """Every line item of the two days: usage (hourly), then one EdpDiscount line per day, product and usage type."""
    rows: list[dict[str, object]] = []
    for day in DAYS:
        usage: list[dict[str, object]] = []
        for hour in range(24):
            t = dt.datetime.combine(day, dt.time(hour))
            usage.append(_cur_line(t, line_type="Usage", product="AmazonEC2", usage_type="USE1-BoxUsage:p5.48xlarge",
                                   operation="RunInstances", usage=1.0, unit="Hrs", rate=98.32,
                                   description="$98.32 per On Demand Linux p5.48xlarge Instance Hour",
                                   resource=P5, tags=CHAT_TAGS, az="us-east-1a", instance_type="p5.48xlarge",
                                   family="Compute Instance"))
            gb = 40.0 + hour                       # to the internet
            usage.append(_cur_line(t, line_type="Usage", product="AmazonEC2", usage_type="USE1-DataTransfer-Out-Bytes",
                                   operation="RunInstances", usage=gb, unit="GB", rate=0.09, resource=P5,
                                   tags=CHAT_TAGS, description="$0.090 per GB - first 10 TB / month data transfer out",
                                   family="Data Transfer"))
            usage.append(_cur_line(t, line_type="Usage", product="AmazonEC2", usage_type="USE1-DataTransfer-In-Bytes",
                                   operation="RunInstances", usage=gb / 4, unit="GB", rate=0.0, resource=P5,
                                   tags=CHAT_TAGS, description="$0.00 per GB - data transfer in per month",
                                   family="Data Transfer"))
            xr = 12.5 + hour / 2                   # us-east-1 -> us-west-2, seen at both ends
            usage.append(_cur_line(t, line_type="Usage", product="AmazonEC2", usage_type="USE1-USW2-AWS-Out-Bytes",
                                   operation="RunInstances", usage=xr, unit="GB", rate=0.02, resource=P5,
                                   tags=CHAT_TAGS, from_region="us-east-1", to_region="us-west-2",
                                   description="$0.02 per GB - US East (Northern Virginia) data transfer to US West "
                                               "(Oregon)", family="Data Transfer"))
            usage.append(_cur_line(t, line_type="Usage", product="AmazonEC2", usage_type="USW2-USE1-AWS-In-Bytes",
                                   operation="RunInstances", usage=xr, unit="GB", rate=0.0,
                                   resource="i-0e7d2b9c4a1f83d27", tags=CHAT_TAGS, region="us-west-2",
                                   account=DEST_ACCOUNT, from_region="us-east-1", to_region="us-west-2",
                                   description="$0.00 per GB - US West (Oregon) data transfer from US East (Northern "
                                               "Virginia)", family="Data Transfer"))
            az_gb = 30.0                           # between AZs: billed on both sides of the same bytes
            for op in ("InterZone-Out", "InterZone-In"):
                usage.append(_cur_line(t, line_type="Usage", product="AmazonEC2",
                                       usage_type="USE1-DataTransfer-Regional-Bytes", operation=op, usage=az_gb,
                                       unit="GB", rate=0.01, resource=P5, tags=CHAT_TAGS,
                                       description="$0.010 per GB - regional data transfer - in/out/between EC2 AZs "
                                                   "or using elastic IPs or ELB", family="Data Transfer"))
        # untagged storage of the day (a bucket nobody tagged)
        usage.append(_cur_line(dt.datetime.combine(day, dt.time()), line_type="Usage", product="AmazonS3",
                               usage_type="TimedStorage-ByteHrs", operation="StandardStorage", usage=1200.0 / 30,
                               unit="GB-Mo", rate=0.023, resource="acme-training-data",
                               description="$0.023 per GB - first 50 TB / month of storage used",
                               family="Storage"))
        rows.extend(usage)
        groups: dict[tuple[str, str], list[dict[str, object]]] = {}
        for line in usage:
            if line["line_item_unblended_cost"]:
                groups.setdefault((line["line_item_product_code"], line["line_item_usage_type"]), []).append(line)
        rows.extend(_edp_line(day, product, utype, lines) for (product, utype), lines in sorted(groups.items()))
    return rows


def write_cur(root: Path) -> list[Path]:
    """The export under ``root`` (= s3://BUCKET/PREFIX): the Parquet data file and a manifest without billingPeriod."""
    data_key = f"{EXPORT}/data/BILLING_PERIOD=2026-11/{EXPORT}-00001.snappy.parquet"
    meta_key = f"{EXPORT}/metadata/BILLING_PERIOD=2026-11/{EXPORT}-Manifest.json"
    (root / data_key).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(cur_rows(), schema=CUR_SCHEMA), root / data_key, compression="snappy")
    (root / meta_key).parent.mkdir(parents=True, exist_ok=True)
    (root / meta_key).write_text(json.dumps({
        "executionId": "7e6b5c1d-3f2a-4e9b-8c7d-1a2b3c4d5e6f",
        "dataFiles": [f"s3://{BUCKET}/{PREFIX}/{data_key}"],
        "exportArn": f"arn:aws:bcm-data-exports:us-east-1:{PAYER}:export/{EXPORT}-0f1e2d3c",
        "exportName": EXPORT,
        "deliveryTime": "2026-11-03T06:12:44Z",
    }, indent=2))
    return [root / data_key, root / meta_key]


# --- GCP detailed billing export --------------------------------------------------------------------------------

COMPUTE = {"id": "6F81-5844-456A", "description": "Compute Engine"}
STORAGE = {"id": "95FF-2EF5-5EA1", "description": "Cloud Storage"}
PROJECT = {"id": "ml-prod-381204", "number": "381204000117", "name": "ml-prod",
           "labels": [{"key": "env", "value": "prod"}], "ancestry_numbers": "/528416349115/381204000117/"}
A3_VM = "gke-train-a3-pool-5c2d8e1f-h7nm"
G2_VM = "emb-g2-48-1"
H100_VM = "render-h100-1"


def _gts(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S UTC")


def _gcp_row(start: dt.datetime, service: dict[str, str], sku: tuple[str, str], cost: float, usage: float, unit: str,
             in_pricing_units: float, pricing_unit: str, labels: dict[str, str], resource: str | None,
             system_labels: dict[str, str] | None = None, credits: list[dict[str, object]] | None = None,
             region: str | None = "us-central1", zone: str | None = "us-central1-a") -> dict[str, object]:
    end = start + dt.timedelta(hours=1)
    return {
        "billing_account_id": "01A2B3-C4D5E6-F7A8B9", "service": service, "sku": {"id": sku[0], "description": sku[1]},
        "usage_start_time": _gts(start), "usage_end_time": _gts(end), "project": PROJECT,
        "labels": [{"key": k, "value": v} for k, v in sorted(labels.items())],
        "system_labels": [{"key": k, "value": v} for k, v in sorted((system_labels or {}).items())],
        "location": {"location": region or "us", "country": "US", "region": region, "zone": zone},
        "resource": {"name": resource, "global_name": f"//compute.googleapis.com/projects/{PROJECT['id']}/zones/"
                                                      f"{zone}/instances/{resource}" if resource else None},
        "tags": [], "export_time": _gts(end + dt.timedelta(hours=5, minutes=17)), "cost": round(cost, 6),
        "currency": "USD", "currency_conversion_rate": 1.0,
        "usage": {"amount": usage, "unit": unit, "amount_in_pricing_units": round(in_pricing_units, 6),
                  "pricing_unit": pricing_unit},
        "credits": credits or [], "invoice": {"month": "202611"}, "cost_type": "regular", "adjustment_info": None,
        "cost_at_list": round(cost, 6),
    }


def gcp_rows() -> list[dict[str, object]]:
    rows = []
    a3 = {"compute.googleapis.com/machine_spec": "a3-highgpu-8g", "compute.googleapis.com/cores": "208",
          "compute.googleapis.com/memory": "1916928"}
    g2 = {"compute.googleapis.com/machine_spec": "g2-standard-48", "compute.googleapis.com/cores": "48",
          "compute.googleapis.com/memory": "196608"}
    for day in DAYS:
        for hour in range(24):
            t = dt.datetime.combine(day, dt.time(hour))
            train = {"service": "llm-pretrain", "team": "research"}
            rows.append(_gcp_row(t, COMPUTE, ("D2B8-9D5A-7D93", "A3 Instance Core running in Americas"),
                                 208 * 0.0295, 208 * 3600.0, "seconds", 208.0, "hour", train, A3_VM, a3))
            rows.append(_gcp_row(t, COMPUTE, ("1E0F-3F6A-9B0C", "A3 Instance Ram running in Americas"),
                                 1872 * 0.0026, 1872 * 3600.0 * 2**30, "byte-seconds", 1872.0, "gibibyte hour",
                                 train, A3_VM, a3))
            emb = {"service": "embeddings", "team": "search"}
            core = 48 * 0.0283
            rows.append(_gcp_row(t, COMPUTE, ("7D3E-5C1B-44A2", "G2 Instance Core running in Americas"), core,
                                 48 * 3600.0, "seconds", 48.0, "hour", emb, G2_VM, g2,
                                 credits=[{"name": "Sustained Usage Discount", "amount": round(-core * 0.2, 6),
                                           "full_name": None, "id": "", "type": "SUSTAINED_USAGE_DISCOUNT"}]))
            rows.append(_gcp_row(t, COMPUTE, ("3A9C-0B2D-6E71", "G2 Instance Ram running in Americas"), 192 * 0.0033,
                                 192 * 3600.0 * 2**30, "byte-seconds", 192.0, "gibibyte hour", emb, G2_VM, g2))
            render = {"service": "batch-render"}
            rows.append(_gcp_row(t, COMPUTE, ("B2E4-1C7F-8A90", "Nvidia H100 80GB GPU running in Americas"),
                                 8 * 9.79, 8 * 3600.0, "seconds", 8.0, "hour", render, H100_VM))
            # egress: Cloud Storage downloads (bytes, priced per gibibyte) and VM inter-region traffic
            for sku, gib, price in ((("22EB-AAE8-FBCD", "Download Worldwide Destinations (excluding Asia & Australia)"),
                                     6.0 + hour / 8, 0.12),
                                    (("3E22-5B2B-4F4A", "Download Australia"), 0.75, 0.19),
                                    (("F6A3-9C11-0E5B", "Download China"), 0.5, 0.23)):
                rows.append(_gcp_row(t, STORAGE, sku, gib * price, gib * 2**30, "bytes", gib, "gibibyte", emb,
                                     "acme-embeddings-public", region="us", zone=None))
            rows.append(_gcp_row(t, COMPUTE, ("9C4B-0D1E-2F3A", "Network Inter Region Data Transfer Out from Americas "
                                                                "to EMEA"), 3.0 * 0.05, 3.0 * 2**30, "bytes", 3.0,
                                 "gibibyte", train, A3_VM))
            rows.append(_gcp_row(t, COMPUTE, ("5F6E-7D8C-9B0A", "Network Inter Region Egress from Americas to "
                                                                "Americas"), 2.0 * 0.01, 2.0 * 2**30, "bytes", 2.0,
                                 "gibibyte", train, A3_VM))
            rows.append(_gcp_row(t, COMPUTE, ("E1D2-C3B4-A596", "Network Internet Ingress from EMEA to Americas"), 0.0,
                                 5.0 * 2**30, "bytes", 5.0, "gibibyte", emb, G2_VM))
    return rows


def write_gcp(root: Path) -> Path:
    """NDJSON as a BigQuery export job writes it, in the export table's folder."""
    path = root / GCP_TABLE / "000000000000.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in gcp_rows()))
    return path


# --- telemetry (served by a Prometheus HTTP API in the test) ----------------------------------------------------

HOSTS = {  # DCGM Hostname -> (GPU model name, {gpu index: workload pod})
    "ip-10-0-3-17.ec2.internal": ("NVIDIA H100 80GB HBM3", {g: "chat-api-6d4f9b7c5-x2x9q" if g < 4
                                                            else "chat-api-6d4f9b7c5-bk7qz" for g in range(8)}),
    A3_VM: ("NVIDIA H100 80GB HBM3", {g: "llm-pretrain-master-0" if g < 4 else "llm-pretrain-worker-0"
                                      for g in range(8)}),
    G2_VM: ("NVIDIA L4", {g: "embeddings-7b9c6d5f8-q2w4z" for g in range(4)}),
    "dgx-01": ("NVIDIA H100 80GB HBM3", {0: "ft-ab12cd-worker-3", 1: "ft-ab12cd-worker-3", 2: "train-master-0",
                                         3: "mpi-launcher-x7k2p"}),
}
SERVING_PODS = {"chat-api-6d4f9b7c5-x2x9q": 7.0, "chat-api-6d4f9b7c5-bk7qz": 5.0, "embeddings-7b9c6d5f8-q2w4z": 31.0}


def _uuid(host: str, gpu: int) -> str:
    h = hashlib.md5(f"{host}|{gpu}".encode()).hexdigest()
    return f"GPU-{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def dcgm_series() -> list[tuple[dict[str, str], list[tuple[int, float]]]]:
    """DCGM_FI_DEV_GPU_UTIL per GPU and minute, labelled as kube-prometheus scrapes dcgm-exporter: the exporter's
    pod/service/job, the workload's pod as exported_pod. The on-prem training pods run the first 6 hours only."""
    out = []
    for host, (model, pods) in HOSTS.items():
        for gpu, pod in pods.items():
            labels = {"__name__": "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DRIVER_VERSION": "570.124.06", "Hostname": host,
                      "UUID": _uuid(host, gpu), "container": "nvidia-dcgm-exporter", "device": f"nvidia{gpu}",
                      "endpoint": "gpu-metrics", "exported_container": "trainer" if "-" in pod else "main",
                      "exported_namespace": "ml", "exported_pod": pod, "gpu": str(gpu),
                      "instance": "10.0.3.17:9400", "job": "nvidia-dcgm-exporter", "modelName": model,
                      "namespace": "gpu-operator", "pci_bus_id": f"00000000:{0x18 + gpu:02X}:00.0",
                      "pod": "nvidia-dcgm-exporter-7xq2m", "service": "nvidia-dcgm-exporter"}
            minutes = 6 * 60 if host == "dgx-01" else 24 * 60
            points = []
            for day in DAYS:
                t0 = int(dt.datetime.combine(day, dt.time(), dt.timezone.utc).timestamp())
                points += [(t0 + 60 * m, 50.0 + (gpu * 7 + m) % 40) for m in range(minutes)]
            out.append((labels, points))
    return out


def vllm_series() -> list[tuple[dict[str, str], list[tuple[int, float]]]]:
    """vLLM request and token counters per pod and minute, the servers started before the month (counters already
    high at its start); one chat-api pod restarts at 2026-11-02 09:00 (its counters start again from 0)."""
    out = []
    restart = int(dt.datetime(2026, 11, 2, 9, tzinfo=dt.timezone.utc).timestamp())
    for n, (pod, per_minute) in enumerate(SERVING_PODS.items()):
        service = pod.rsplit("-", 2)[0]
        base = {"container": "vllm", "endpoint": "http", "instance": f"10.0.7.{21 + n}:8000", "job": service,
                "model_name": "meta-llama/Llama-3.1-8B-Instruct", "namespace": "inference", "pod": pod,
                "service": service}
        for name, extra, scale in (("vllm:request_success_total", {"finished_reason": "stop"}, 1.0),
                                   ("vllm:request_success_total", {"finished_reason": "length"}, 0.25),
                                   ("vllm:prompt_tokens_total", {}, 310.0),
                                   ("vllm:generation_tokens_total", {}, 145.0)):
            value = 1_000_000.0 * scale
            points = []
            for day in DAYS:
                t0 = int(dt.datetime.combine(day, dt.time(), dt.timezone.utc).timestamp())
                for m in range(24 * 60):
                    ts = t0 + 60 * m
                    if pod.endswith("x2x9q") and ts == restart:
                        value = 0.0
                    value += round(per_minute * scale * (1 + (m % 5) / 10))
                    points.append((ts, value))
            out.append(({"__name__": name, **base, **extra}, points))
    return out


HOSTS_CSV = "hostname,instance_type,zone\ndgx-01,dgx-h100,colo-iad-1\n"  # no provider, no resource_id: on-prem
