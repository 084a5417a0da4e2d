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
    missing = [k for k in ("executionId", "dataFiles") if k not in doc]
    if missing:
        raise ManifestError(f"manifest {manifest_key} lacks {', '.join(missing)}")
    period = _billing_period(doc, manifest_key)
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


def _billing_period(doc: dict, manifest_key: str) -> str:
    """'YYYY-MM' from the ``BILLING_PERIOD=`` folder and/or the manifest's ``billingPeriod.start``: either is enough;
    when both exist they must agree."""
    m = _PERIOD_RE.search(manifest_key)
    from_path = m.group(1) if m else None
    stated = doc.get("billingPeriod")
    from_doc = None
    if stated is not None:
        start = stated.get("start") if isinstance(stated, dict) else None
        m_doc = re.match(r"(\d{4})-?(\d{2})", start) if isinstance(start, str) else None
        if m_doc is None:
            raise ManifestError(f"manifest {manifest_key}: billingPeriod.start is not a date ({stated!r})")
        from_doc = f"{m_doc.group(1)}-{m_doc.group(2)}"
    if from_path and from_doc and from_path != from_doc:
        raise ManifestError(f"manifest {manifest_key}: billingPeriod.start {from_doc} disagrees with its folder "
                            f"BILLING_PERIOD={from_path}")
    period = from_path or from_doc
    if period is None:
        raise ManifestError(f"manifest {manifest_key} lacks billingPeriod and is not under a BILLING_PERIOD= folder")
    return period


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
