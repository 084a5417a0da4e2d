"""The fictional fleet every sample writer describes, so hosts, services and tags agree across sources."""

from __future__ import annotations

import functools
import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

PAYER_ACCOUNT = "111122223333"
PAYER_NAME = "infraledger-demo-payer"
ACCOUNTS = {"ml-prod": "444455556666", "ml-research": "777788889999"}
REGION = "us-east-1"
GCP_BILLING_ACCOUNT = "01A2B3-C4D5E6-F7A8B9"
GCP_PROJECT = "ml-prod-381204"
SITE = "iad-colo-1"


@dataclass(frozen=True)
class GpuModel:
    name: str          # as dcgm-exporter's modelName label
    idle_w: float
    max_w: float
    memory_mib: int


H100 = GpuModel("NVIDIA H100 80GB HBM3", 70.0, 700.0, 81559)
A10G = GpuModel("NVIDIA A10G", 15.0, 300.0, 23028)
A100 = GpuModel("NVIDIA A100-SXM4-40GB", 50.0, 400.0, 40960)


@dataclass(frozen=True)
class Host:
    hostname: str
    provider: str              # aws | gcp | onprem
    instance_type: str
    resource_id: str           # EC2 instance id / GCE instance name
    account: str               # AWS account name / GCP project
    availability_zone: str
    purchase: str              # on_demand | savings_plan | spot | on_prem
    hourly_rate: float         # on-demand rate in USD
    gpu_model: GpuModel
    gpu_count: int
    service: str
    team: str
    namespace: str
    rack: str                  # colocation rack ('' for cloud instances)
    ip: str
    busy: float                # mean SM activity of its GPUs while serving (0..1)


HOSTS: tuple[Host, ...] = (
    Host("gpu-h100-01", "aws", "p5.48xlarge", "i-0a1b2c3d4e5f60001", "ml-prod", "us-east-1a", "on_demand",
         98.32, H100, 8, "chat-api", "inference", "inference", "", "10.0.1.11", 0.62),
    Host("gpu-h100-02", "aws", "p5.48xlarge", "i-0a1b2c3d4e5f60002", "ml-prod", "us-east-1a", "savings_plan",
         98.32, H100, 8, "chat-api", "inference", "inference", "", "10.0.1.12", 0.48),
    Host("gpu-a10g-01", "aws", "g5.12xlarge", "i-0a1b2c3d4e5f60003", "ml-prod", "us-east-1b", "spot",
         5.672, A10G, 4, "embeddings", "search", "search", "", "10.0.2.21", 0.35),
    Host("gpu-a10g-02", "aws", "g5.12xlarge", "i-0a1b2c3d4e5f60004", "ml-research", "us-east-1b", "on_demand",
         5.672, A10G, 4, "batch-eval", "research", "research", "", "10.0.2.22", 0.15),
    # over-provisioned: a small embedding model on a whole A100 (a MIG slice or a smaller GPU would do)
    Host("gpu-a100-gcp-01", "gcp", "a2-highgpu-1g", "gpu-a100-gcp-01", GCP_PROJECT, "us-central1-a", "on_demand",
         3.6731, A100, 1, "embeddings", "search", "search", "", "10.128.0.7", 0.12),
    # An owned 8-GPU server in the colocation site: its cost is power and amortized hardware, not a bill line.
    Host("gpu-h100-onprem-01", "onprem", "dgx-h100", "dgx-h100-sn1234", "ml-prod", SITE, "on_prem",
         0.0, H100, 8, "chat-api", "inference", "inference", "rack-a1", "10.20.0.31", 0.55),
)
# Colocation racks: PDUs per rack, capacity, and the load that is not GPU servers (switches, storage).
RACKS: dict[str, dict[str, object]] = {
    "rack-a1": {"room": "hall-1", "pdus": ("pdu-a1-1", "pdu-a1-2"), "capacity_kw": 17.3, "other_kw": 1.8},
    "rack-a2": {"room": "hall-1", "pdus": ("pdu-a2-1",), "capacity_kw": 8.6, "other_kw": 3.1},
}
# Plain CPU instances that appear only in the bill (one untagged, on purpose).
CPU_INSTANCES: tuple[tuple[str, str, str, float, str | None], ...] = (
    ("i-0c0ffee000000001", "m7i.2xlarge", "ml-prod", 0.4032, "chat-api"),
    ("i-0c0ffee000000002", "m7i.large", "ml-research", 0.1008, None),
)
SERVICES = ("chat-api", "embeddings", "batch-eval")
# A service's pods live in its team's namespace, whichever node they run on (the namespace of its own hosts)
NAMESPACE_OF = {h.service: h.namespace for h in HOSTS}
# A GPU instance shared by two services (pods pinned to GPUs) and billed without a service tag: its cost can only be
# allocated by the GPU time each service's pods held it.
SHARED_HOSTS: dict[str, dict[int, str]] = {"gpu-a10g-02": {0: "batch-eval", 1: "batch-eval", 2: "embeddings",
                                                           3: "embeddings"}}


# Hosts whose service's pods hold only some GPUs: the rest are free, stranded on a partly used node (fragmentation).
# chat-api's second H100 node runs 6 replicas on 8 GPUs; the on-prem DGX serves chat-api on 4 and lends the other 4
# to training jobs (free between them).
PARTLY_HELD: dict[str, range] = {"gpu-h100-02": range(6), "gpu-h100-onprem-01": range(4)}


@dataclass(frozen=True)
class TrainingJob:
    """A Kubeflow PyTorchJob on the on-prem DGX: one pod per GPU (master-0, worker-0, ...), running from ``start_h``
    hours after the period's start for ``hours``. With ``steps_per_minute`` its master exports the counters
    training_steps_total and training_tokens_total (label job_name); its container restarts from a checkpoint
    ``restart_after_h`` hours in (the counters restart at 0)."""

    name: str
    namespace: str
    host: str
    gpus: tuple[int, ...]
    start_h: int
    hours: int
    busy: float
    steps_per_minute: int | None = None
    tokens_per_step: int | None = None
    restart_after_h: int | None = None

    def pod(self, gpu: int) -> str:
        i = self.gpus.index(gpu)
        return f"{self.name}-master-0" if i == 0 else f"{self.name}-worker-{i - 1}"


TRAINING_JOBS = (
    TrainingJob("llama-sft", "research", "gpu-h100-onprem-01", (4, 5, 6, 7), start_h=2, hours=40, busy=0.88,
                steps_per_minute=30, tokens_per_step=262144, restart_after_h=20),
    # a fine-tune without a step counter: still costed by the GPU time its pods held
    TrainingJob("vit-finetune", "research", "gpu-h100-onprem-01", (4, 5), start_h=54, hours=6, busy=0.70),
)


def service_of(host: "Host", gpu: int) -> str:
    """The service whose pods hold GPU ``gpu`` of ``host`` (when any does; see holder_of)."""
    return SHARED_HOSTS.get(host.hostname, {}).get(gpu, host.service)


def holder_of(host: "Host", gpu: int, minutes_from_start: int) -> "TrainingJob | str | None":
    """Who holds GPU ``gpu`` of ``host`` at a minute of the period: a training job, a service, or nobody."""
    for job in TRAINING_JOBS:
        if job.host == host.hostname and gpu in job.gpus and \
                job.start_h * 60 <= minutes_from_start < (job.start_h + job.hours) * 60:
            return job
    if host.hostname in PARTLY_HELD and gpu not in PARTLY_HELD[host.hostname]:
        return None
    return service_of(host, gpu)
# The planted cost spike: an 8-GPU on-demand instance a batch-eval job left running from 10:00 on the last day of a
# sample period of at least SPIKE_MIN_DAYS days (enough history for fct_cost_anomalies to judge that day).
SPIKE_MIN_DAYS = 7
SPIKE_INSTANCE = ("i-0badc0ffee0000099", "p5.48xlarge", "ml-research", 98.32, "batch-eval", "research")
SPIKE_HOURS = range(10, 24)


# A 1-year Partial Upfront standard reservation covering the plain m7i.2xlarge of ml-prod all month:
# (reservation ARN, instance id, upfront fee, recurring fee per hour, hours in its term).
RESERVATION = ("arn:aws:ec2:us-east-1:444455556666:reserved-instances/4b9e2f1a-7c3d-4e8f-9a1b-2c3d4e5f6a7b",
               "i-0c0ffee000000001", 1100.0, 0.127, 8760)
# The on-prem hardware register: (asset, kind, purchase date, purchase cost, depreciation months, residual value,
# support per month, space per month), USD. The 8-GPU H100 server depreciates over 4 years to a tenth of its price
# with a support contract; each rack's own network gear depreciates over 5 years and the colocation fee is per rack.
ONPREM_ASSETS = (
    ("gpu-h100-onprem-01", "host", "2025-06-01", 320000, 48, 32000, 2100, 0),
    ("rack-a1", "rack", "2025-06-01", 18000, 60, 0, 0, 1800),
    ("rack-a2", "rack", "2025-06-01", 12000, 60, 0, 0, 1200),
)
# Resource-based committed use discounts (1 year) the GCP project holds in us-central1, pooled over its VMs: one
# A100 GPU (fully used by the A2 VM) and 16 A2 vCPUs (the VM uses 12: 4 unused every hour). Each is billed hourly on
# its fee SKU ("Commitment v1: <resource> in Americas for 1 Year", the shape of the SKU catalog's commitment SKUs)
# at its committed rate; the usage it covers carries a COMMITTED_USAGE_DISCOUNT credit equal to its cost.
# (fee SKU id, fee SKU description, committed units, committed rate per unit-hour, the usage SKU description it covers)
GCP_COMMITMENTS = (
    ("8A5C-3F1E-0B27", "Commitment v1: Nvidia Tesla A100 GPU in Americas for 1 Year", 1, 1.848362,
     "Nvidia Tesla A100 GPU running in Americas"),
    ("C4D1-77E2-9A60", "Commitment v1: A2 Cpu in Americas for 1 Year", 16, 0.019915,
     "A2 Instance Core running in Americas"),
)
# Spot training workers that only the bill and the EC2 inventory know (no telemetry): research's g5.12xlarge, reclaimed
# by AWS at SPOT_INTERRUPTED_AT (StateReason Server.SpotInstanceTermination) and replaced by a new request's instance
# billed from SPOT_REPLACED_FROM. (instance_type, account, zone, service, team, on-demand rate, GPUs)
SPOT_WORKER = ("g5.12xlarge", "ml-research", "us-east-1b", "batch-eval", "research", 5.672, 4)
SPOT_INTERRUPTED = ("i-0f5a0c0ffee000101", "spot-train-01", "10.0.3.31")
SPOT_REPLACEMENT = ("i-0f5a0c0ffee000102", "spot-train-02", "10.0.3.32")
SPOT_INTERRUPTED_AT = datetime(2026, 10, 2, 14, 24, tzinfo=timezone.utc)
SPOT_REPLACED_FROM = datetime(2026, 10, 2, 16, 0, tzinfo=timezone.utc)


def spot_worker_hours(d: date) -> list[tuple[str, int, float]]:
    """(instance id, hour, share of the hour it ran) of the spot training workers on day ``d``."""
    out = []
    for hour in range(24):
        t = at(d, hour)
        if t < SPOT_INTERRUPTED_AT:
            out.append((SPOT_INTERRUPTED[0], hour, min(1.0, (SPOT_INTERRUPTED_AT - t) / timedelta(hours=1))))
        if t >= SPOT_REPLACED_FROM:
            out.append((SPOT_REPLACEMENT[0], hour, 1.0))
    return out


def spike_day(start: date, n_days: int) -> date | None:
    """The day that carries the planted spike, or None for a period too short to judge it."""
    return start + timedelta(days=n_days - 1) if n_days >= SPIKE_MIN_DAYS else None


SERVING_MODELS = {"chat-api": "meta-llama/Llama-3.1-70B-Instruct", "embeddings": "BAAI/bge-large-en-v1.5",
                  "batch-eval": "Qwen/Qwen2.5-7B-Instruct"}


def rng_for(seed: int, *parts: object) -> random.Random:
    """An independent, reproducible random stream per (seed, writer, key...)."""
    digest = hashlib.sha256(repr((seed,) + parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def stable_id(*parts: object, length: int = 52) -> str:
    """A deterministic id in the style of CUR's identity_line_item_id (base32-ish lowercase)."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:length]


K8S_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # Kubernetes' rand.SafeEncodeString: no vowels, no 0/1/3


def k8s_suffix(*parts: object, length: int) -> str:
    """A deterministic name suffix in Kubernetes' own alphabet (ReplicaSet hashes, pod and Job suffixes)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return "".join(K8S_ALPHABET[b % len(K8S_ALPHABET)] for b in digest[:length])


def stable_uuid(*parts: object) -> str:
    return str(uuid.UUID(bytes=hashlib.md5("|".join(map(str, parts)).encode()).digest()))


def node_name(host: Host) -> str:
    """The name dcgm-exporter reports as Hostname: the EKS node name (EC2 private DNS name) on AWS, the GKE node
    (= GCE instance) name on GCP, the server's own name on-prem."""
    if host.provider == "aws":
        return f"ip-{host.ip.replace('.', '-')}.ec2.internal"
    return host.hostname


def gpu_uuid(host: Host, index: int) -> str:
    h = hashlib.sha1(f"{host.hostname}/{index}".encode()).hexdigest()
    return f"GPU-{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def days(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def at(d: date, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, second, tzinfo=timezone.utc)


def diurnal(ts: datetime) -> float:
    """Traffic shape over a day (UTC): low at night, peak in the afternoon, 0.35..1.0."""
    import math

    h = ts.hour + ts.minute / 60
    return 0.675 + 0.325 * math.sin((h - 9) / 24 * 2 * math.pi)


@functools.lru_cache(maxsize=1)
def diurnal_by_minute() -> tuple[float, ...]:
    """``diurnal`` of each minute of a day from midnight UTC (the shape is the same every day): for writers that
    read it once per minute of a period."""
    midnight = datetime(2000, 1, 1, tzinfo=timezone.utc)
    return tuple(diurnal(midnight + timedelta(minutes=k)) for k in range(1440))
