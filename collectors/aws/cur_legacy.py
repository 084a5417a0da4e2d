"""Legacy Cost and Usage Report deliveries: ``<prefix>/<report>/<yyyymmdd-yyyymmdd>/<report>-Manifest.json``.

The period-level manifest names the current assembly (``assemblyId``) and its files (``reportKeys``, keys from the
bucket root). AWS overwrites it on every delivery, so it always describes the delivery that replaces the period.
"""

from __future__ import annotations

import json
import re

from collectors.aws.cur import CurDelivery, ManifestError
from collectors.storage import ObjectStore


def _period_manifest_re(report_prefix: str, report_name: str) -> re.Pattern[str]:
    base = f"{report_prefix.strip('/')}/{report_name}".lstrip("/")
    return re.compile(rf"^{re.escape(base)}/(\d{{8}})-(\d{{8}})/{re.escape(report_name)}-Manifest\.json$")


def parse_legacy_manifest(raw: bytes, manifest_key: str) -> CurDelivery:
    """Read a legacy CUR manifest; raise :class:`ManifestError` naming the key when it is unusable."""
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"manifest {manifest_key} is not valid JSON: {exc}") from exc
    missing = [k for k in ("assemblyId", "billingPeriod", "reportKeys") if k not in doc]
    if missing:
        raise ManifestError(f"manifest {manifest_key} lacks {', '.join(missing)}")
    start = str(doc["billingPeriod"].get("start", ""))
    if not re.match(r"^\d{8}T", start):
        raise ManifestError(f"manifest {manifest_key} has an unreadable billingPeriod.start {start!r}")
    return CurDelivery(
        billing_period=f"{start[:4]}-{start[4:6]}",
        execution_id=str(doc["assemblyId"]),
        manifest_key=manifest_key,
        delivered_at=str(doc.get("assemblyId")),
        data_keys=tuple(str(k) for k in doc["reportKeys"]),
        row_count=None,
    )


def manifest_columns(raw: bytes) -> int | None:
    """How many columns the manifest declares (real files often carry more)."""
    try:
        return len(json.loads(raw).get("columns", [])) or None
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return None


def legacy_deliveries(store: ObjectStore, report_prefix: str, report_name: str) -> dict[str, CurDelivery]:
    """The current delivery of each billing period of a report, from its period-level manifests."""
    pattern = _period_manifest_re(report_prefix, report_name)
    base = f"{report_prefix.strip('/')}/{report_name}/".lstrip("/")
    out: dict[str, CurDelivery] = {}
    for key in store.list_keys(base):
        if pattern.match(key):
            delivery = parse_legacy_manifest(store.read_bytes(key), key)
            out[delivery.billing_period] = delivery
    return out
