"""Host inventory through boto3 against a moto EC2 server (DescribeInstances over real HTTP) and a hosts CSV."""

from __future__ import annotations

import json

from pathlib import Path

import boto3
import dagster as dg
import duckdb
import pytest

pytestmark = pytest.mark.integration
KEY = dg.AssetKey(["raw", "host_inventory"])


def _run() -> dg.ExecuteInProcessResult:
    from pipelines.definitions import defs

    job = defs().resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[KEY])


def test_instances_and_csv_hosts_are_upserted_never_lost(
        moto_endpoint: str, infraledger_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-never-logged")
    ec2 = boto3.client("ec2", endpoint_url=moto_endpoint, region_name="us-west-2")
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    made = ec2.run_instances(ImageId=ami, InstanceType="p5.48xlarge", MinCount=3, MaxCount=3,
                             TagSpecifications=[{"ResourceType": "instance",
                                                 "Tags": [{"Key": "Name", "Value": "gpu-node"}]}])
    ids = sorted(i["InstanceId"] for i in made["Instances"])
    dns = {i["InstanceId"]: i["PrivateDnsName"] for i in made["Instances"]}
    hosts = tmp_path / "hosts.csv"
    hosts.write_text("hostname,provider,resource_id,instance_type,zone,account\n"
                     "gke-pool-a-1234,GCP,gke-pool-a-1234,a3-highgpu-8g,us-central1-a,proj\n"
                     "dgx-01,onprem,SN-1,dgx-h100,colo,\n"
                     ",onprem,SN-9,dgx-h100,colo,\n"
                     "typo,openstack,X-1,,,\n")
    # `kubectl get nodes -o json` of a cluster with a GKE node and a bare-metal node (no providerID)
    nodes = tmp_path / "nodes.json"
    nodes.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [
        {"apiVersion": "v1", "kind": "Node",
         "metadata": {"name": "gke-train-pool-0f3c9a2e-x7k2", "labels": {
             "node.kubernetes.io/instance-type": "a3-highgpu-8g", "topology.kubernetes.io/zone": "us-central1-a",
             "cloud.google.com/gke-accelerator": "nvidia-h100-80gb"}},
         "spec": {"providerID": "gce://ml-prod-381204/us-central1-a/gke-train-pool-0f3c9a2e-x7k2"}},
        {"apiVersion": "v1", "kind": "Node",
         "metadata": {"name": "dgx-02", "labels": {"kubernetes.io/hostname": "dgx-02"}}, "spec": {}},
    ]}))
    monkeypatch.setenv("INFRALEDGER_SOURCES_INVENTORY_KUBECTL_NODES", str(nodes))
    monkeypatch.setenv("INFRALEDGER_SOURCES_INVENTORY_EC2", "api")
    monkeypatch.setenv("INFRALEDGER_SOURCES_INVENTORY_EC2_REGIONS", "[us-west-2]")
    monkeypatch.setenv("INFRALEDGER_SOURCES_INVENTORY_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("INFRALEDGER_SOURCES_INVENTORY_HOSTS_CSV", str(hosts))
    first = _run()
    assert first.success
    ec2.terminate_instances(InstanceIds=[ids[0]])
    second = _run()
    assert second.success
    checks = {e.check_name: e.passed for e in second.get_asset_check_evaluations()}
    assert checks["rows_accounted_for"] is True
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        rows = conn.execute("select provider, resource_id, instance_type, private_dns_name, state, "
                            "first_seen < last_seen from raw.host_inventory order by 1, 2").fetchall()
        quarantined = sorted(r[0] for r in conn.execute("select reason from quarantine.host_inventory").fetchall())
    finally:
        conn.close()
    aws = [r for r in rows if r[0] == "aws"]
    assert [r[1] for r in aws] == ids and {r[2] for r in aws} == {"p5.48xlarge"}
    assert all(r[3] == dns[r[1]] for r in aws)
    assert {r[1]: r[4] for r in aws}[ids[0]] in ("shutting-down", "terminated")  # kept, state updated
    assert all(r[5] for r in rows), "the second snapshot moves last_seen on, first_seen stays"
    assert [(r[0], r[1], r[2]) for r in rows if r[0] != "aws"] == [
        ("gcp", "gke-pool-a-1234", "a3-highgpu-8g"), ("gcp", "gke-train-pool-0f3c9a2e-x7k2", "a3-highgpu-8g"),
        ("onprem", "SN-1", "dgx-h100"), ("onprem", "dgx-02", None)]
    assert len(quarantined) == 2 and "hostname" in quarantined[0] and "provider" in quarantined[1]
