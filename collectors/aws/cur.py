"""AWS Data Exports (CUR 2.0) deliveries: find manifests, pick the newest per billing period, fetch its files.

The file list of a billing period always comes from its manifest (``dataFiles``), never from listing ``data/``:
a listing mixes older deliveries and files still being written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from collectors.storage import ObjectStore

_PERIOD_RE = re.compile(r"BILLING_PERIOD=(\d{4}-\d{2})")


class ManifestError(ValueError):
    """A manifest that cannot be used (unreadable JSON, missing fields, files outside the export)."""


@dataclass(frozen=True)
class CurDelivery:
    """One delivery of one billing period, as its manifest describes it."""

    billing_period: str          # 'YYYY-MM'
    execution_id: str
    manifest_key: str
    delivered_at: str            # ISO timestamp from the manifest (or its folder); sorts in delivery order
    data_keys: tuple[str, ...]   # keys relative to the store root
    row_count: int | None


def _relative_key(uri: str, export_name: str) -> str:
    marker = f"{export_name}/data/"
    pos = uri.find(marker)
    if pos < 0:
        raise ManifestError(f"data file {uri} is not inside the export's data/ folder")
    return uri[pos:]


def parse_manifest(raw: bytes, manifest_key: str, export_name: str) -> CurDelivery:
    """Read a Data Exports manifest; raise :class:`ManifestError` naming the key when it is unusable."""
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"manifest {manifest_key} is not valid JSON: {exc}") from exc
    missing = [k for k in ("executionId", "billingPeriod", "dataFiles") if k not in doc]
    if missing:
        raise ManifestError(f"manifest {manifest_key} lacks {', '.join(missing)}")
    m = _PERIOD_RE.search(manifest_key)
    period = m.group(1) if m else str(doc["billingPeriod"]["start"])[:7]
    folder = manifest_key.rsplit("/", 2)[-2]
    delivered = str(doc.get("deliveryTime") or folder)
    return CurDelivery(
        billing_period=period,
        execution_id=str(doc["executionId"]),
        manifest_key=manifest_key,
        delivered_at=delivered,
        data_keys=tuple(_relative_key(u, export_name) for u in doc["dataFiles"]),
        row_count=doc.get("rowCount"),
    )


def find_deliveries(store: ObjectStore, export_name: str) -> list[CurDelivery]:
    """Every delivery under ``<export>/metadata/``, oldest first."""
    out = []
    for key in store.list_keys(f"{export_name}/metadata/"):
        if key.endswith("-Manifest.json"):
            out.append(parse_manifest(store.read_bytes(key), key, export_name))
    return sorted(out, key=lambda d: (d.billing_period, d.delivered_at))


def latest_deliveries(deliveries: list[CurDelivery]) -> dict[str, CurDelivery]:
    """The newest delivery of each billing period: it replaces everything delivered before for that period."""
    latest: dict[str, CurDelivery] = {}
    for d in deliveries:
        if d.billing_period not in latest or d.delivered_at >= latest[d.billing_period].delivered_at:
            latest[d.billing_period] = d
    return latest


def fetch_delivery(store: ObjectStore, delivery: CurDelivery, landing_dir: Path) -> list[Path]:
    """Local paths of the delivery's files (downloaded into ``landing_dir`` when the store is remote)."""
    return [store.fetch(key, landing_dir) for key in delivery.data_keys]
