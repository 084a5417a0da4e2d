"""GCP SKU prices from the Cloud Billing Catalog (live API, pages kept in the landing area, or recorded pages),
kept as a valid_from/valid_to history: a price change is a new row, not an overwrite."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from collectors.gcp.catalog import catalog_client, fetch_skus, price_rows, recorded_skus
from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request
from warehouse.loaders.gcp_prices import load_sku_prices


@dataclass(frozen=True)
class Priced:
    """The price rows of the kept SKUs, where they came from and when."""

    rows: list[dict]
    source: str
    fetched_at: dt.datetime


def _family(sku: dict) -> str | None:
    category = sku.get("category") or {}
    return category.get("resourceFamily", category.get("resource_family"))


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    """SKUs of the configured services (kept: the configured resource families) as price rows."""
    fetched_at = dt.datetime.now(dt.timezone.utc)
    if settings.source.location == "api":
        skus, source = fetch_skus(catalog_client(settings.source.endpoint), settings.source.services, settings.source.currency,
                                  Path(settings.landing_dir) / "gcp_catalog")
    else:
        folder = Path(settings.source.location)
        if not folder.is_dir():
            raise FileNotFoundError(f"sources.gcp_catalog.location {folder} is neither a folder of recorded skus "
                                    "pages nor 'api'")
        skus, pages = recorded_skus(folder)
        if not pages:
            log.info(f"no catalog pages under {folder}")
            return Landed(None)
        source = pages[0]
    families = set(settings.source.resource_families)
    kept = [s for s in skus if not families or _family(s) in families]
    rows = [asdict(r) for r in price_rows(kept)]
    return Landed(Priced(rows, str(source), fetched_at), metadata={"skus_fetched": len(skus), "skus_kept": len(kept)})


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    priced: Priced = landed.items
    result = load_sku_prices(conn, rows=priced.rows, source_file=priced.source, fetched_at=priced.fetched_at)
    facts = LoadFacts()
    facts.add(result, describe=True)
    facts.summary = (f"catalog: {landed.metadata['skus_kept']} of {landed.metadata['skus_fetched']} SKUs kept, "
                     f"{result.rows_read} price rows, {result.rows_loaded} new, "
                     f"{result.notes.get('prices_changed', 0)} price changes, {result.rows_quarantined} quarantined")
    return facts


SOURCE = RawSource("gcp_sku_prices", "gcp_catalog", "prices", ("gcp", "duckdb"), fetch, load)
