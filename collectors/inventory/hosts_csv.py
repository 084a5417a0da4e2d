"""A hosts CSV for machines no cloud API describes (on-prem servers) or to name GKE nodes explicitly:
``hostname,provider,resource_id,instance_type,zone,account`` (header required, extra columns ignored). Only
``hostname`` is required: ``provider`` defaults to ``onprem`` and ``resource_id`` to the hostname (an on-prem server
has no bill line to meet); a GKE node list is easier imported from ``kubectl get nodes -o json`` (k8s_nodes).

A GKE node's name is its GCE instance name, which is the bill's ``resource.name``; list them with
``kubectl get nodes -L node.kubernetes.io/instance-type`` when the instance type is wanted too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

COLUMNS = ("hostname", "provider", "resource_id", "instance_type", "zone", "account")
PROVIDERS = ("aws", "gcp", "azure", "onprem")
DEFAULT_PROVIDER = "onprem"  # a hosts file without a provider column lists on-prem servers


def read_hosts(path: Path) -> Iterator[tuple[int, dict[str, str | None], str | None]]:
    """(line number, row, reason it is unusable or None) for every data line; a missing column fails the file."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if "hostname" not in (reader.fieldnames or []):
            raise ValueError(f"{path}: header lacks 'hostname' (columns: {', '.join(COLUMNS)}; only hostname is "
                             "required)")
        has_provider = "provider" in (reader.fieldnames or [])
        for row in reader:
            line = reader.line_num
            clean = {c: ((row.get(c) or "").strip() or None) for c in COLUMNS}
            if not has_provider:
                clean["provider"] = DEFAULT_PROVIDER
            clean["resource_id"] = clean["resource_id"] or clean["hostname"]
            reason = None
            if not clean["hostname"]:
                reason = "hostname is required"
            elif (clean["provider"] or "").lower() not in PROVIDERS:
                reason = f"provider must be one of {', '.join(PROVIDERS)}"
            else:
                clean["provider"] = clean["provider"].lower()
            yield line, clean, reason
