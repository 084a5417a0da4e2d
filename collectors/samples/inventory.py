"""Sample host inventory: recorded EC2 DescribeInstances pages for the AWS hosts (GPU and CPU instances) and a
hosts CSV naming the GKE node and the on-prem server. Dirt on purpose: a CSV line without a resource id."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from collectors.samples import world


def _instance(instance_id: str, instance_type: str, name: str, ip: str, zone: str) -> dict[str, object]:
    return {
        "InstanceId": instance_id, "InstanceType": instance_type, "ImageId": "ami-0abcdef1234567890",
        "State": {"Code": 16, "Name": "running"}, "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal",
        "PrivateIpAddress": ip, "Placement": {"AvailabilityZone": zone, "Tenancy": "default"},
        "LaunchTime": "2026-09-01T00:00:00Z", "Tags": [{"Key": "Name", "Value": name}],
    }


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    by_account: dict[str, list[dict[str, object]]] = {}
    for h in world.HOSTS:
        if h.provider == "aws":
            by_account.setdefault(world.ACCOUNTS[h.account], []).append(
                _instance(h.resource_id, h.instance_type, h.hostname, h.ip, h.availability_zone))
    for n, (instance_id, instance_type, account, _rate, _service) in enumerate(world.CPU_INSTANCES, start=1):
        by_account.setdefault(world.ACCOUNTS[account], []).append(
            _instance(instance_id, instance_type, f"cpu-{n:02d}", f"10.0.9.{n}", f"{world.REGION}a"))
    reservations = [{"ReservationId": f"r-{world.stable_id(account, length=17)}", "OwnerId": account,
                     "Instances": instances} for account, instances in sorted(by_account.items())]
    folder = out / "inventory" / "ec2" / world.REGION
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page-0001.json").write_text(json.dumps({"Reservations": reservations}, indent=1) + "\n")
    lines = ["hostname,provider,resource_id,instance_type,zone,account"]
    for h in world.HOSTS:
        if h.provider != "aws":
            lines.append(f"{world.node_name(h)},{'gcp' if h.provider == 'gcp' else 'onprem'},{h.resource_id},"
                         f"{h.instance_type},{h.availability_zone},{h.account}")
    lines.append("decommissioned-01,onprem,,dgx-a100,iad-colo-1,ml-prod")
    (out / "inventory" / "hosts.csv").write_text("\n".join(lines) + "\n")
    return {"inventory_instances": sum(len(v) for v in by_account.values()), "inventory_csv_hosts": len(lines) - 2}
