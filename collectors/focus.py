"""FOCUS export deliveries: AWS Data Exports layout (manifest per billing period) or one folder per period.

``data_exports``: ``<export>/metadata/BILLING_PERIOD=YYYY-MM/.../<export>-Manifest.json`` names the files, like
CUR 2.0; the newest manifest of a period wins. ``period_folders``: ``<export>/YYYY-MM/`` holds the period's files
(Azure, OCI and GCP exports copied into a bucket); the folder's current content is the delivery.
"""

from __future__ import annotations

import hashlib
import re

from collectors.aws.cur import CurDelivery, find_deliveries, latest_deliveries
from collectors.storage import ObjectStore

DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".snappy.parquet", ".gz.parquet")


def _period_folder_deliveries(store: ObjectStore, export_name: str) -> dict[str, CurDelivery]:
    pattern = re.compile(rf"^{re.escape(export_name)}/(\d{{4}}-\d{{2}})/[^/]+$")
    keys: dict[str, list[str]] = {}
    for key in store.list_keys(f"{export_name}/"):
        m = pattern.match(key)
        if m and key.endswith(DATA_SUFFIXES):
            keys.setdefault(m.group(1), []).append(key)
    out = {}
    for period, data_keys in keys.items():
        digest = hashlib.sha256("\n".join(sorted(data_keys)).encode()).hexdigest()[:16]
        out[period] = CurDelivery(billing_period=period, execution_id=f"folder-{digest}",
                                  manifest_key=f"{export_name}/{period}/", delivered_at="",
                                  data_keys=tuple(sorted(data_keys)), row_count=None)
    return out


def focus_deliveries(store: ObjectStore, export_name: str, layout: str) -> dict[str, CurDelivery]:
    """The delivery that currently stands for each billing period of a FOCUS export."""
    if layout == "period_folders":
        return _period_folder_deliveries(store, export_name)
    return latest_deliveries(find_deliveries(store, export_name))
