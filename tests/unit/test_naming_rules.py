"""Naming rules read from real-world names: a pod's workload (the dbt macro, rendered and run in DuckDB), AWS tag
keys in both CUR spellings, the billing period of a Data Exports manifest, and Kubernetes node lists."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from collectors.aws.cur import ManifestError, parse_manifest
from collectors.inventory.k8s_nodes import read_nodes
from tests.dbt_macros import render_sql

pytestmark = pytest.mark.unit
PRECEDENCE = ["service", "app.kubernetes.io/name", "app"]


def _macro_sql(file: str, call: str, source: str) -> str:
    return render_sql([file], f"select {{{{ {call} }}}} from {source}", {"workload_label_precedence": PRECEDENCE})


# (pod name, its owner's name): how each controller names its pods
PODS = [
    ("chat-api-6d4f9b7c5-x2x9q", "chat-api"),             # Deployment: <name>-<ReplicaSet hash>-<5>
    ("vllm-llama-3-8b-5f7d8c9b6d-bk7qz", "vllm-llama-3-8b"),
    ("redis-0", "redis"),                                   # StatefulSet: <name>-<ordinal>
    ("llm-pretrain-worker-0", "llm-pretrain"),              # PyTorchJob: <job>-worker-<i> / -master-<i>
    ("train-master-0", "train"),
    ("ft-ab12cd-worker-3", "ft-ab12cd"),
    ("mpi-launcher-x7k2p", "mpi"),                          # MPIJob: launcher is a Job (<job>-launcher-<5>)
    ("mpi-worker-1", "mpi"),
    ("tf-mnist-chief-0", "tf-mnist"),                       # TFJob
    ("nightly-eval-29384721-7xk2p", "nightly-eval"),        # CronJob: <cronjob>-<scheduled minute>-<5>
    ("batch-embed-q2w4z", "batch-embed"),                   # Job: <job>-<5>
    ("shard-index-3-bk7qz", "shard-index"),                 # indexed Job: <job>-<index>-<5>
    ("pretrain-workers-0-2-bk7qz", "pretrain-workers"),     # JobSet: <jobset>-<replicated job>-<j>-<p>-<5>
    ("vllm-llama", "vllm-llama"),                           # a bare pod keeps its name ('llama' is no suffix)
]


def test_pods_map_to_the_workload_that_owns_them() -> None:
    conn = duckdb.connect()
    conn.execute("create table pods (pod varchar)")
    conn.executemany("insert into pods values (?)", [(p,) for p, _ in PODS])
    got = conn.execute(_macro_sql("telemetry.sql", "workload_of('pod')", "pods")).fetchall()
    assert [g for g, in got] == [w for _, w in PODS]


@pytest.mark.parametrize(("labels", "workload"), [
    ({"app.kubernetes.io/name": "rag-api"}, "rag-api"),                     # a label wins over the pod name
    ({"app_kubernetes_io_name": "rag-api", "app": "other"}, "rag-api"),     # as Prometheus sanitizes it; precedence
    ({"label_app": "rag-api"}, "rag-api"),                                  # as kube-state-metrics writes it
    ({"service": "nvidia-dcgm-exporter", "job": "nvidia-dcgm-exporter"}, "chat-api"),  # the scrape target's own
    ({}, "chat-api"),
])
def test_a_configured_workload_label_wins_unless_it_names_the_scrape_target(labels: dict, workload: str) -> None:
    conn = duckdb.connect()
    conn.execute("create table pods (pod varchar, labels json)")
    conn.execute("insert into pods values ('chat-api-6d4f9b7c5-x2x9q', ?)", [json.dumps(labels)])
    [(got,)] = conn.execute(_macro_sql("telemetry.sql", "workload_of('pod', 'labels')", "pods")).fetchall()
    assert got == workload


def test_aws_tag_keys_in_both_cur_spellings() -> None:
    conn = duckdb.connect()
    conn.execute("create table lines (tags map(varchar, varchar))")
    conn.execute("""insert into lines values
        (map(['user_service', 'user_team', 'aws_createdBy'], ['chat-api', 'inference', 'IAMUser:AIDA:ops'])),
        (map(['user:service', 'aws:cloudformation:stack-name'], ['chat-api', 'ml-stack'])),
        (map(['user_service', 'user:service'], ['first', 'second'])),
        (null)""")
    # DuckDB's form of the macro (its Spark form runs in the Spark build; no test checks it on Spark yet)
    got = [dict(r) for r, in conn.execute(_macro_sql("aws.sql", "normalized_aws_tags('tags')", "lines")).fetchall()]
    assert got == [{"service": "chat-api", "team": "inference", "aws:createdBy": "IAMUser:AIDA:ops"},
                   {"service": "chat-api", "aws:cloudformation:stack-name": "ml-stack"},
                   {"service": "first"}, {}]


KEY = "cur2/acme-cur2/metadata/BILLING_PERIOD=2026-11/acme-cur2-Manifest.json"


def _manifest(**fields: object) -> bytes:
    return json.dumps({"executionId": "e-1", "dataFiles": ["s3://b/cur2/acme-cur2/data/BILLING_PERIOD=2026-11/a.parquet"],
                       **fields}).encode()


def test_manifest_period_comes_from_its_folder_or_its_billing_period() -> None:
    assert parse_manifest(_manifest(), KEY, "acme-cur2").billing_period == "2026-11"
    assert parse_manifest(_manifest(billingPeriod={"start": "2026-11-01T00:00:00.000Z"}), KEY,
                          "acme-cur2").billing_period == "2026-11"
    assert parse_manifest(_manifest(billingPeriod={"start": "20261101T000000.000Z"}), "x/acme-cur2-Manifest.json",
                          "acme-cur2").billing_period == "2026-11"
    with pytest.raises(ManifestError, match="2026-10 disagrees with its folder BILLING_PERIOD=2026-11"):
        parse_manifest(_manifest(billingPeriod={"start": "2026-10-01T00:00:00Z"}), KEY, "acme-cur2")
    with pytest.raises(ManifestError, match="lacks billingPeriod and is not under a BILLING_PERIOD= folder"):
        parse_manifest(_manifest(), "x/acme-cur2-Manifest.json", "acme-cur2")


def test_kubectl_node_lists_name_the_machine_behind_each_node(tmp_path: Path) -> None:
    nodes = tmp_path / "nodes.json"
    nodes.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"kind": "Node", "metadata": {"name": "ip-10-0-3-17.ec2.internal", "labels": {
            "node.kubernetes.io/instance-type": "p5.48xlarge", "topology.kubernetes.io/zone": "us-east-1a"}},
         "spec": {"providerID": "aws:///us-east-1a/i-0c4a1f9e2b7d63a05"}},
        {"kind": "Node", "metadata": {"name": "gke-a3-pool-1", "labels": {}},
         "spec": {"providerID": "gce://ml-prod-381204/us-central1-a/gke-a3-pool-1"}},
        {"kind": "Node", "metadata": {"name": "dgx-01"}, "spec": {}},
        {"kind": "Node", "metadata": {}, "spec": {}},
    ]}))
    rows = [(r["hostname"], r["provider"], r["resource_id"], r["zone"], reason) for _, r, reason in read_nodes(nodes)]
    assert rows == [("ip-10-0-3-17.ec2.internal", "aws", "i-0c4a1f9e2b7d63a05", "us-east-1a", None),
                    ("gke-a3-pool-1", "gcp", "gke-a3-pool-1", "us-central1-a", None),
                    ("dgx-01", "onprem", "dgx-01", None, None),
                    (None, "onprem", None, None, "node without metadata.name")]
    nodes.write_text('{"kind": "PodList", "items": "no"}')
    with pytest.raises(ValueError, match="expected a List of Node objects"):
        list(read_nodes(nodes))
