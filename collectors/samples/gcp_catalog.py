"""Sample Cloud Billing Catalog ``skus`` pages for Compute Engine (the REST JSON shape of ``services.skus.list``):
the A100 GPU on demand and as spot, the A2 cores and memory, and a tiered egress SKU; two pages (nextPageToken).
The on-demand GPU rate is the one the sample GCP billing export charges."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

SERVICE = {"name": "services/6F81-5844-456A", "serviceId": "6F81-5844-456A", "displayName": "Compute Engine",
           "businessEntityName": "businessEntities/GCP"}
REGIONS = ["us-central1", "us-east1"]


def _money(price: float) -> dict[str, object]:
    units = int(price)
    return {"currencyCode": "USD", "units": str(units), "nanos": round((price - units) * 1e9)}


def _sku(sku_id: str, description: str, group: str, usage_type: str, unit: str, unit_desc: str, base: str,
         factor: float, tiers: list[tuple[float, float]], family: str = "Compute") -> dict[str, object]:
    return {
        "name": f"services/6F81-5844-456A/skus/{sku_id}", "skuId": sku_id, "description": description,
        "category": {"serviceDisplayName": "Compute Engine", "resourceFamily": family, "resourceGroup": group,
                     "usageType": usage_type},
        "serviceRegions": REGIONS,
        "pricingInfo": [{
            "summary": "", "effectiveTime": "2026-09-01T07:00:00.000Z", "currencyConversionRate": 1,
            "pricingExpression": {"usageUnit": unit, "usageUnitDescription": unit_desc, "baseUnit": base,
                                  "baseUnitDescription": base, "baseUnitConversionFactor": factor,
                                  "displayQuantity": 1,
                                  "tieredRates": [{"startUsageAmount": s, "unitPrice": _money(p)} for s, p in tiers]},
            "aggregationInfo": {"aggregationLevel": "ACCOUNT", "aggregationInterval": "DAILY", "aggregationCount": 1},
        }],
        "serviceProviderName": "Google",
    }


SKUS = [
    _sku("039F-D0DA-4055", "Nvidia Tesla A100 GPU running in Americas", "GPU", "OnDemand", "h", "hour", "s", 3600,
         [(0, 2.933908)]),
    _sku("A1B2-SPOT-A100", "Nvidia Tesla A100 GPU attached to Spot Preemptible VMs running in Americas", "GPU",
         "Preemptible", "h", "hour", "s", 3600, [(0, 1.1736)]),
    _sku("2E92-B8A5-B0F3", "A2 Instance Core running in Americas", "CPU", "OnDemand", "h", "hour", "s", 3600,
         [(0, 0.031611)]),
    _sku("5A2D-8A18-9D37", "A2 Instance Ram running in Americas", "RAM", "OnDemand", "GiBy.h", "gibibyte hour",
         "By.s", 3865470566400, [(0, 0.004237)]),
    _sku("9DE9-9092-B3BC", "Network Internet Egress from Americas to Americas", "PremiumInternetEgress", "OnDemand",
         "GiBy", "gibibyte", "By", 1073741824, [(0, 0.0), (1, 0.12), (10240, 0.11)], family="Network"),
]


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    """``gcp_catalog/<service id>/skus-page-NNNN.json``: the catalog as it stands (dates and seed do not matter)."""
    folder = out / "gcp_catalog" / SERVICE["serviceId"]
    folder.mkdir(parents=True, exist_ok=True)
    pages = [SKUS[:3], SKUS[3:]]
    for n, page in enumerate(pages, start=1):
        body: dict[str, object] = {"skus": page}
        if n < len(pages):
            body["nextPageToken"] = f"page-{n + 1}"
        (folder / f"skus-page-{n:04d}.json").write_text(json.dumps(body, indent=1) + "\n")
    return {"gcp_catalog_skus": len(SKUS)}
