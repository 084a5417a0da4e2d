"""GCP SKU prices from the Cloud Billing Catalog API (``CloudCatalogClient.list_services`` / ``list_skus``), or
read back from recorded ``skus`` pages in the API's JSON shape. Each SKU becomes one price row per service region
and pricing tier, with the tier's unit price (``units`` + ``nanos``) and, for time units, a price per hour.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

# usage units the catalog uses for time, and how many of them make an hour
HOURS_PER_UNIT = {"h": Decimal(1), "hour": Decimal(1), "min": Decimal(1) / 60, "s": Decimal(1) / 3600}


class CatalogResponseError(ValueError):
    """A catalog API response the client library cannot parse (the whole fetch fails; nothing is merged)."""


def _get(d: Mapping[str, Any] | None, camel: str, snake: str, default: Any = None) -> Any:
    """A field in the REST (camelCase) or client library (snake_case) spelling."""
    if not d:
        return default
    return d.get(camel, d.get(snake, default))


@dataclass(frozen=True)
class PriceRow:
    sku_id: str | None
    service_display_name: str | None
    description: str | None
    resource_family: str | None
    resource_group: str | None
    usage_type: str | None
    region: str | None
    tier_start_usage: float | None
    usage_unit: str | None
    currency: str | None
    unit_price: Decimal | None
    price_per_hour: Decimal | None
    effective_time: str | None
    problem: str | None          # why the row cannot be used (quarantined), or None
    raw: str                     # the SKU as received, for quarantine


def _unit_price(money: Mapping[str, Any] | None) -> tuple[Decimal | None, str | None]:
    units, nanos = _get(money, "units", "units", "0"), _get(money, "nanos", "nanos", 0)
    try:
        price = Decimal(str(units or 0)) + Decimal(int(nanos or 0)) / Decimal(10**9)
    except (InvalidOperation, ValueError, TypeError):
        return None, f"unit price not a number: units={units!r} nanos={nanos!r}"
    return price, None


def price_rows(skus: Iterable[Mapping[str, Any]]) -> list[PriceRow]:
    """One row per SKU x service region x tier of the SKU's current pricing info."""
    out: list[PriceRow] = []
    for sku in skus:
        raw = json.dumps(sku, sort_keys=True, default=str)
        cat = _get(sku, "category", "category", {}) or {}
        base = dict(sku_id=_get(sku, "skuId", "sku_id"), service_display_name=_get(cat, "serviceDisplayName", "service_display_name"),
                    description=_get(sku, "description", "description"), resource_family=_get(cat, "resourceFamily", "resource_family"),
                    resource_group=_get(cat, "resourceGroup", "resource_group"), usage_type=_get(cat, "usageType", "usage_type"))
        regions = list(_get(sku, "serviceRegions", "service_regions", []) or []) or [None]
        infos = _get(sku, "pricingInfo", "pricing_info", []) or []
        if not infos:
            out += [PriceRow(**base, region=r, tier_start_usage=None, usage_unit=None, currency=None, unit_price=None,
                             price_per_hour=None, effective_time=None, problem="no pricingInfo", raw=raw) for r in regions]
            continue
        info = infos[-1]  # the catalog returns the current pricing info last
        expr = _get(info, "pricingExpression", "pricing_expression", {}) or {}
        unit = _get(expr, "usageUnit", "usage_unit")
        tiers = _get(expr, "tieredRates", "tiered_rates", []) or []
        effective = _get(info, "effectiveTime", "effective_time")
        if not tiers:
            out += [PriceRow(**base, region=r, tier_start_usage=None, usage_unit=unit, currency=None, unit_price=None,
                             price_per_hour=None, effective_time=effective, problem="no tieredRates", raw=raw)
                    for r in regions]
            continue
        for tier in tiers:
            money = _get(tier, "unitPrice", "unit_price", {}) or {}
            price, problem = _unit_price(money)
            per_hour = price / HOURS_PER_UNIT[unit] if price is not None and unit in HOURS_PER_UNIT else None
            for r in regions:
                out.append(PriceRow(**base, region=r, tier_start_usage=float(_get(tier, "startUsageAmount", "start_usage_amount", 0) or 0),
                                    usage_unit=unit, currency=_get(money, "currencyCode", "currency_code"),
                                    unit_price=price, price_per_hour=per_hour, effective_time=effective,
                                    problem=problem, raw=raw))
    return out


def recorded_skus(folder: Path) -> tuple[list[dict[str, Any]], list[Path]]:
    """SKUs of every recorded ``skus`` page under ``folder`` (``{"skus": [...], "nextPageToken": ...}``)."""
    pages = sorted(p for p in folder.rglob("*.json") if p.is_file())
    skus: list[dict[str, Any]] = []
    for page in pages:
        try:
            doc = json.loads(page.read_bytes())
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"catalog page {page} is not valid JSON: {exc}") from exc
        skus += list(doc.get("skus", [])) if isinstance(doc, dict) else []
    return skus, pages


def catalog_client(endpoint: str | None = None) -> Any:
    """A CloudCatalogClient: default credentials against Google, anonymous REST against an explicit endpoint."""
    from google.cloud import billing_v1

    if endpoint:
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials

        return billing_v1.CloudCatalogClient(credentials=AnonymousCredentials(), transport="rest",
                                             client_options=ClientOptions(api_endpoint=endpoint))
    return billing_v1.CloudCatalogClient()


def fetch_skus(client: Any, services: Iterable[str], currency: str, landing: Path) -> tuple[list[dict[str, Any]], Path]:
    """The SKUs of the services with these display names (every page), kept as JSON in ``landing``."""
    from google.cloud import billing_v1

    from google.protobuf.json_format import ParseError

    wanted = set(services)
    skus: list[dict[str, Any]] = []
    for service in client.list_services():
        if service.display_name in wanted:
            request = billing_v1.ListSkusRequest(parent=service.name, currency_code=currency)
            try:
                skus += [billing_v1.Sku.to_dict(s) for s in client.list_skus(request=request)]
            except (ParseError, ValueError) as exc:
                raise CatalogResponseError(
                    f"the catalog's skus response for {service.display_name} ({service.name}) is not readable: "
                    f"{str(exc).splitlines()[0]}") from exc
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    landing.mkdir(parents=True, exist_ok=True)
    path = landing / f"skus-{stamp}.json"
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps({"skus": skus}, indent=1, default=str))
    tmp.replace(path)
    return skus, path
