"""Sample host inventory: recorded EC2 DescribeInstances pages for the AWS hosts (GPU and CPU instances) and a
hosts CSV naming the GKE node and the on-prem server. Dirt on purpose: a CSV line without a resource id."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from collectors.samples import world


def _instance(instance_id: str, instance_type: str, name: str, ip: str, zone: str, *, spot: bool = False,
              reclaimed: bool = False, launched: str = "2026-09-01T00:00:00Z") -> dict[str, object]:
    """One DescribeInstances instance; a reclaimed spot instance is terminated with AWS's state reason and, like
    every terminated instance, has no private address any more."""
    out: dict[str, object] = {
        "InstanceId": instance_id, "InstanceType": instance_type, "ImageId": "ami-0abcdef1234567890",
        "State": {"Code": 16, "Name": "running"}, "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal",
        "PrivateIpAddress": ip, "Placement": {"AvailabilityZone": zone, "Tenancy": "default"},
        "LaunchTime": launched, "Tags": [{"Key": "Name", "Value": name}],
    }
    if spot:
        out["InstanceLifecycle"] = "spot"
        out["SpotInstanceRequestId"] = "sir-" + world.stable_id(instance_id, length=8)
    if reclaimed:
        out.update(State={"Code": 48, "Name": "terminated"}, PrivateDnsName="", StateTransitionReason="",
                   StateReason={"Code": "Server.SpotInstanceTermination",
                                "Message": "Server.SpotInstanceTermination: Spot instance termination"})
        out.pop("PrivateIpAddress")
    return out


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    by_account: dict[str, list[dict[str, object]]] = {}
    for h in world.HOSTS:
        if h.provider == "aws":
            by_account.setdefault(world.ACCOUNTS[h.account], []).append(
                _instance(h.resource_id, h.instance_type, h.hostname, h.ip, h.availability_zone,
                          spot=h.purchase == "spot"))
    # the spot training workers as a snapshot after the period's last day sees them
    end = world.at(start + timedelta(days=n_days))
    itype, account, zone, *_ = world.SPOT_WORKER
    workers = [_instance(*world.SPOT_INTERRUPTED[:1], itype, *world.SPOT_INTERRUPTED[1:], zone, spot=True,
                         reclaimed=end > world.SPOT_INTERRUPTED_AT)]
    if end > world.SPOT_REPLACED_FROM:
        workers.append(_instance(*world.SPOT_REPLACEMENT[:1], itype, *world.SPOT_REPLACEMENT[1:], zone, spot=True,
                                 launched=f"{world.SPOT_REPLACED_FROM:%Y-%m-%dT%H:%M:%SZ}"))
    by_account.setdefault(world.ACCOUNTS[account], []).extend(workers)
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
