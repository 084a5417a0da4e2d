"""Manifest-driven billing exports (CUR 2.0, legacy CUR, FOCUS): the plan is the period's newest delivery (its
manifest names the files), the fetch copies those files to the landing area."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collectors.aws.cur import CurDelivery, fetch_delivery
from pipelines.partitions import billing_period
from pipelines.sources.contract import Landed, LoadFacts, Log, Request


@dataclass(frozen=True)
class Delivered:
    """A delivery copied to the landing area: its period, manifest, files and the source's loader settings."""

    period: str
    delivery: CurDelivery
    files: list[Path]
    display_paths: list[str]
    options: dict[str, Any] = field(default_factory=dict)


def fetch_period_delivery(settings: Any, request: Request, log: Log, what: str, setting: str,
                          options: dict[str, Any] | None = None) -> Landed:
    """The partition's newest delivery copied to the landing area; nothing (with the reason) when the source is not
    configured or has no delivery for the period."""
    if not getattr(settings, "enabled", True):
        return Landed(None, metadata={"note": f"{setting} is not configured; nothing to load"})
    period = billing_period(request.partition_key)
    store = settings.store()
    delivery = settings.deliveries(store).get(period)
    if delivery is None:
        why = f"no {what} delivery for billing period {period} under {settings.source.location}"
        log.warning(f"{why}; nothing loaded")
        return Landed(None, metadata={"billing_period": period, "delivery": "none found", "note": why})
    files = fetch_delivery(store, delivery, Path(settings.landing_dir))
    return Landed(Delivered(period, delivery, files, [store.uri(k) for k in delivery.data_keys], options or {}),
                  metadata={"manifest": store.uri(delivery.manifest_key), "delivered_at": delivery.delivered_at})


def delivery_facts(what: str, d: Delivered, result: Any, manifest_rows: int | None = None,
                   drift_note: str = "new columns kept in _extra_columns") -> LoadFacts:
    """The facts of a delivery's load: its row counts and load metadata, and a summary naming any schema drift."""
    facts = LoadFacts(manifest_rows=manifest_rows)
    facts.add(result, describe=True)
    drift = result.notes.get("schema_drift_new_columns") or result.notes.get("coercions")
    facts.summary = (f"{what} {d.period}: delivery {d.delivery.execution_id} read {result.rows_read} rows, loaded "
                     f"{result.rows_loaded}, quarantined {result.rows_quarantined}, replaced {result.rows_replaced}"
                     + (f"; {drift_note}: {drift}" if drift else ""))
    return facts
