"""GCP SKU prices through CloudCatalogClient (REST, anonymous) against a loopback catalog: pages, tiers, bad SKUs
quarantined, and a price change kept as history."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from collectors.samples.gcp_catalog import SERVICE, SKUS
from tests.integration.catalog_loopback import FakeCatalog

pytestmark = pytest.mark.integration
KEY = dg.AssetKey(["raw", "gcp_sku_prices"])
SPOT_A100 = "A1B2-SPOT-A100"


def _materialize() -> dg.ExecuteInProcessResult:
    from pipelines.definitions import defs

    job = defs().resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[KEY])


def _q(wh: Path, sql: str) -> list[tuple]:
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_catalog_prices_tiers_bad_skus_and_history(shared_data: Path, infraledger_env: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real = json.loads((shared_data / "gcp_billing/cloud_catalog_list_skus_example.json").read_text())["skus"][0]
    bad_price = copy.deepcopy(SKUS[0]) | {"skuId": "BAD-PRICE", "description": "bad"}
    bad_price["pricingInfo"][0]["pricingExpression"]["tieredRates"][0]["unitPrice"]["units"] = "abc"
    no_pricing = copy.deepcopy(SKUS[2]) | {"skuId": "NO-PRICING", "pricingInfo": []}
    bigquery = {"name": "services/24E6-581D-38E5", "serviceId": "24E6-581D-38E5", "displayName": "BigQuery"}
    pages = [SKUS[:2], [], SKUS[2:] + [real, no_pricing]]  # an empty page in the middle
    monkeypatch.setenv("INFRALEDGER_SOURCES_GCP_CATALOG_LOCATION", "api")
    monkeypatch.setenv("INFRALEDGER_SOURCES_GCP_CATALOG_RESOURCE_FAMILIES", "[Compute, Network]")
    with FakeCatalog([SERVICE, bigquery], {SERVICE["serviceId"]: pages}) as catalog:
        monkeypatch.setenv("INFRALEDGER_SOURCES_GCP_CATALOG_ENDPOINT", catalog.endpoint)
        assert _materialize().success
        sku_requests = [q for p, q in catalog.requests if p.endswith("/skus")]
        assert len(sku_requests) == 3 and sku_requests[0]["currencyCode"] == ["USD"]
        assert not any("24E6-581D-38E5" in p for p, _ in catalog.requests)  # only the configured service

        rows = _q(infraledger_env, "select sku_id, region, tier_start_usage, unit_price, price_per_hour "
                                   "from raw.gcp_sku_prices order by all")
        tiers = [r for r in rows if r[0] == real["skuId"]]
        expected_tiers = {(r, t["startUsageAmount"], Decimal(t["unitPrice"]["units"]) + Decimal(t["unitPrice"]["nanos"]) / 10**9)
                          for r in real["serviceRegions"] for t in real["pricingInfo"][0]["pricingExpression"]["tieredRates"]}
        assert {(r[1], r[2], r[3]) for r in tiers} == expected_tiers and len(tiers) == 9
        assert all(r[4] is None for r in tiers)  # a gibibyte price has no price per hour
        gpu = [r for r in rows if r[0] == "039F-D0DA-4055"]
        assert {r[4] for r in gpu} == {Decimal("2.933908")}
        reasons = _q(infraledger_env, "select reason from quarantine.gcp_sku_prices order by 1")
        assert [r for r, in reasons] == ["no pricingInfo"] * 2
        assert list((infraledger_env.parent / "landing" / "gcp_catalog").glob("skus-*.json"))

        # the spot A100 price changes: the old row is closed where the new one starts, nothing is overwritten
        changed = copy.deepcopy(pages)
        sku = next(s for s in changed[0] if s["skuId"] == SPOT_A100)
        sku["pricingInfo"][0]["effectiveTime"] = "2026-10-04T08:00:00.000Z"
        sku["pricingInfo"][0]["pricingExpression"]["tieredRates"][0]["unitPrice"] = {
            "currencyCode": "USD", "units": "1", "nanos": 50000000}
        catalog.skus[SERVICE["serviceId"]] = changed
        assert _materialize().success
        history = _q(infraledger_env, f"select region, unit_price, valid_from, valid_to from raw.gcp_sku_prices "
                                      f"where sku_id = '{SPOT_A100}' order by region, valid_from")
        assert [(h[1], str(h[3])) for h in history if h[0] == "us-central1"] == [
            (Decimal("1.1736"), "2026-10-04 08:00:00"), (Decimal("1.05"), "None")]
        assert _q(infraledger_env, "select count(*) from raw.gcp_sku_prices")[0][0] == len(rows) + 2


def test_unreadable_api_response_fails_clearly_and_merges_nothing(infraledger_env: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    bad_price = copy.deepcopy(SKUS[0]) | {"skuId": "BAD-PRICE"}
    bad_price["pricingInfo"][0]["pricingExpression"]["tieredRates"][0]["unitPrice"]["units"] = "abc"
    monkeypatch.setenv("INFRALEDGER_SOURCES_GCP_CATALOG_LOCATION", "api")
    with FakeCatalog([SERVICE], {SERVICE["serviceId"]: [SKUS[:2] + [bad_price]]}) as catalog:
        monkeypatch.setenv("INFRALEDGER_SOURCES_GCP_CATALOG_ENDPOINT", catalog.endpoint)
        from pipelines.definitions import defs

        job = defs().resolve_implicit_global_asset_job_def()
        result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[KEY],
                                        raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE)
    assert "skus response for Compute Engine" in str(failure.event_specific_data.error)


def test_recorded_pages_with_a_non_numeric_price_quarantine_it(tmp_path: Path, infraledger_env: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    bad_price = copy.deepcopy(SKUS[0]) | {"skuId": "BAD-PRICE"}
    bad_price["pricingInfo"][0]["pricingExpression"]["tieredRates"][0]["unitPrice"]["units"] = "abc"
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "skus-page-0001.json").write_text(json.dumps({"skus": SKUS + [bad_price]}))
    monkeypatch.setenv("INFRALEDGER_SOURCES_GCP_CATALOG_LOCATION", str(folder))
    assert _materialize().success
    reasons = _q(infraledger_env, "select reason from quarantine.gcp_sku_prices")
    assert reasons == [("unit price not a number: units='abc' nanos=933908000",)] * 2
    loaded = _q(infraledger_env, "select count(distinct sku_id) from raw.gcp_sku_prices")[0][0]
    assert loaded == 4  # the Compute SKUs of the sample (the egress SKU is another family)
