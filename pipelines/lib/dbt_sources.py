"""A raw table's contract as its dbt source declares it: the description and the freshness (``warn_after`` /
``error_after``). The raw assets take both from here, so they are written once, in the source's YAML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import dagster as dg

from pipelines.lib.dbt_manifest import infraledger_manifest

_PERIODS = {"minute": dt.timedelta(minutes=1), "hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1)}


@dataclass(frozen=True)
class TableContract:
    description: str
    freshness: dg.FreshnessPolicy | None


def _window(after: dict | None) -> dt.timedelta | None:
    if not after or not after.get("count") or not after.get("period"):
        return None
    return after["count"] * _PERIODS[after["period"]]


def _policy(freshness: dict | None) -> dg.FreshnessPolicy | None:
    """dbt's error_after is Dagster's fail window, warn_after its warn window."""
    fail, warn = _window((freshness or {}).get("error_after")), _window((freshness or {}).get("warn_after"))
    return dg.FreshnessPolicy.time_window(fail_window=fail, warn_window=warn) if fail else None


@cache
def raw_table_contracts() -> dict[str, TableContract]:
    """{raw asset name: its dbt source's contract} for every source table in the ``raw`` schema (keyed by the
    ``meta.dagster.asset_key`` the table maps to, so the topology asset gets raw.power_racks' contract)."""
    manifest = infraledger_manifest()
    contracts = {}
    for source in manifest["sources"].values():
        if source.get("schema") != "raw":
            continue
        freshness = source.get("freshness") or (source.get("config") or {}).get("freshness")
        meta = (source.get("config") or {}).get("meta") or source.get("meta") or {}
        name = ((meta.get("dagster") or {}).get("asset_key") or ["raw", source["name"]])[-1]
        contracts[name] = TableContract(" ".join((source.get("description") or "").split()),
                                                  _policy(freshness))
    return contracts
