"""EC2 ``DescribeInstances``: instance id, type, private DNS name and IP, ``Name`` tag, per region, fetched with
the boto3 paginator or read back from recorded pages (``<region>/page-NNNN.json``, the landing area's layout).

A Kubernetes node on EKS is named after the instance's private DNS name (``ip-10-0-1-11.ec2.internal``), which is
what dcgm-exporter reports as ``Hostname``; that name is the join key to the bill's ``line_item_resource_id``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from collectors.aws.spot_prices import _jsonable


def fetch_pages(ec2: Any) -> Iterator[dict[str, Any]]:
    """Every DescribeInstances response page (terminated instances included: they are still on the bill)."""
    for page in ec2.get_paginator("describe_instances").paginate():
        yield _jsonable(page)


def instances(pages: Iterable[dict[str, Any]], region: str) -> Iterator[dict[str, Any]]:
    """One inventory row per instance in the pages."""
    for page in pages:
        for reservation in page.get("Reservations", []):
            for inst in reservation.get("Instances", []):
                tags = {t.get("Key"): t.get("Value") for t in inst.get("Tags", []) or []}
                yield {
                    "provider": "aws",
                    "resource_id": inst.get("InstanceId"),
                    "instance_type": inst.get("InstanceType"),
                    "hostname": tags.get("Name"),
                    "private_dns_name": inst.get("PrivateDnsName") or None,
                    "private_ip": inst.get("PrivateIpAddress"),
                    "zone": (inst.get("Placement") or {}).get("AvailabilityZone") or region,
                    "account": reservation.get("OwnerId"),
                    "state": (inst.get("State") or {}).get("Name"),
                    # why it last changed state: Server.SpotInstanceTermination = AWS reclaimed a spot instance
                    "state_reason": (inst.get("StateReason") or {}).get("Code"),
                    "instance_lifecycle": inst.get("InstanceLifecycle"),  # spot | scheduled | capacity-block
                }


def recorded_pages(root: Path, region: str) -> list[Path]:
    return sorted((root / region).glob("page-*.json"))


class Ec2PageError(ValueError):
    """A recorded DescribeInstances page is not readable JSON; the message names the file."""


def read_pages(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    for p in paths:
        try:
            doc = json.loads(p.read_bytes())
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Ec2PageError(f"EC2 page {p} is not valid JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise Ec2PageError(f"EC2 page {p} is not a DescribeInstances response (a JSON object)")
        yield doc
