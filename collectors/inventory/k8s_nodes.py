"""Kubernetes nodes from ``kubectl get nodes -o json``: which machine each node (the DCGM ``Hostname``) is.

``spec.providerID`` names the machine: ``gce://<project>/<zone>/<instance>`` (GKE: the instance name is the GCP
bill's ``resource.name``), ``aws:///<zone>/<instance id>`` (EKS), ``azure:///subscriptions/…`` (AKS); a node without
one (bare metal, kubeadm on-prem) is ``onprem`` with its name as resource id. Instance type and zone come from the
well-known labels ``node.kubernetes.io/instance-type`` and ``topology.kubernetes.io/zone``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from collectors.inventory.hosts_csv import COLUMNS

_SCHEMES = {"gce": "gcp", "aws": "aws", "azure": "azure"}


def node_row(node: dict) -> tuple[dict[str, str | None], str | None]:
    """(row in the hosts CSV's columns, reason it is unusable or None) of one Node object."""
    meta = node.get("metadata") or {}
    labels = meta.get("labels") or {}
    name = (meta.get("name") or "").strip() or None
    provider_id = ((node.get("spec") or {}).get("providerID") or "").strip()
    scheme, _, rest = provider_id.partition("://")
    provider = _SCHEMES.get(scheme, "onprem")
    parts = [p for p in rest.split("/") if p]
    if provider == "gcp" and len(parts) == 3:        # project / zone / instance
        resource_id, zone, account = parts[2], parts[1], parts[0]
    elif provider == "aws" and len(parts) == 2:      # zone / instance id
        resource_id, zone, account = parts[1], parts[0], None
    else:
        resource_id, zone, account = (provider_id if provider == "azure" else name), None, None
    row = dict.fromkeys(COLUMNS)
    row.update(hostname=name, provider=provider, resource_id=resource_id,
               instance_type=labels.get("node.kubernetes.io/instance-type")
               or labels.get("beta.kubernetes.io/instance-type"),
               zone=labels.get("topology.kubernetes.io/zone") or zone, account=account)
    return row, None if name else "node without metadata.name"


def read_nodes(path: Path) -> Iterator[tuple[int, dict[str, str | None], str | None]]:
    """(item number, row, reason or None) for every node of a ``kubectl get nodes -o json`` answer (a ``List`` of
    ``Node``, or one ``Node``); a file that is not such an answer fails naming what it is."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not the JSON of `kubectl get nodes -o json`: {exc}") from exc
    if isinstance(doc, dict) and doc.get("kind") == "Node":
        items = [doc]
    elif isinstance(doc, dict) and isinstance(doc.get("items"), list):
        items = doc["items"]
    else:
        raise ValueError(f"{path}: expected a List of Node objects (`kubectl get nodes -o json`), got "
                         f"{type(doc).__name__} {str(doc.get('kind')) if isinstance(doc, dict) else ''}".rstrip())
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or item.get("kind", "Node") != "Node":
            yield n, dict.fromkeys(COLUMNS), "item is not a Node"
            continue
        row, reason = node_row(item)
        yield n, row, reason
