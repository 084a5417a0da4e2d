"""Materialization metadata from load results: row counts, files and checksums (never credentials)."""

from __future__ import annotations

import dagster as dg

from warehouse.loads import LoadResult


def load_metadata(result: LoadResult) -> dict[str, object]:
    files = [{"path": f.path, "sha256": f.sha256, "bytes": f.bytes} for f in result.input_files]
    meta: dict[str, object] = {
        "dagster/row_count": result.rows_loaded,
        "billing_period": result.partition_key,
        "delivery_id": result.delivery_id or "",
        "load_id": result.load_id,
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_quarantined": result.rows_quarantined,
        "rows_replaced": result.rows_replaced,
        "input_files": dg.MetadataValue.json(files),
    }
    for k, v in result.notes.items():
        meta[k] = dg.MetadataValue.json(v) if isinstance(v, (list, dict)) else v
    return meta
