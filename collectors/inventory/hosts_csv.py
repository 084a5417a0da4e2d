"""A hosts CSV for machines no cloud API describes (on-prem servers) or to name GKE nodes explicitly:
``hostname,provider,resource_id,instance_type,zone,account`` (header required, extra columns ignored).

A GKE node's name is its GCE instance name, which is the bill's ``resource.name``; list them with
``kubectl get nodes -L node.kubernetes.io/instance-type`` when the instance type is wanted too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

COLUMNS = ("hostname", "provider", "resource_id", "instance_type", "zone", "account")
PROVIDERS = ("aws", "gcp", "azure", "onprem")


def read_hosts(path: Path) -> Iterator[tuple[int, dict[str, str | None], str | None]]:
    """(line number, row, reason it is unusable or None) for every data line; a missing column fails the file."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("hostname", "provider", "resource_id") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: header lacks {missing} (expected {', '.join(COLUMNS)})")
        for row in reader:
            line = reader.line_num
            clean = {c: ((row.get(c) or "").strip() or None) for c in COLUMNS}
            reason = None
            if not clean["hostname"] or not clean["resource_id"]:
                reason = "hostname and resource_id are required"
            elif (clean["provider"] or "").lower() not in PROVIDERS:
                reason = f"provider must be one of {', '.join(PROVIDERS)}"
            else:
                clean["provider"] = clean["provider"].lower()
            yield line, clean, reason
