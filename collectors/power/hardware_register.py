"""The on-prem hardware register: what each server and rack cost and what it costs to keep. CSV, one asset a row:

    asset,kind,site,purchase_date,currency,purchase_cost,depreciation_months,residual_value,support_per_month,space_per_month
    gpu-h100-onprem-01,host,iad-colo-1,2025-06-01,USD,320000,48,32000,2100,0
    rack-a1,rack,iad-colo-1,2025-06-01,USD,18000,60,0,0,1800

``kind`` is ``host`` (asset = the host name the topology file and telemetry use) or ``rack`` (asset = the rack:
its own hardware, such as switches and PDUs, and its colocation or space fee). Money columns are decimals in
``currency``; a purchase depreciates straight-line to its residual value over ``depreciation_months`` from the
purchase date. A row that cannot be read is returned with the reason, never guessed at; the others still count.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

COLUMNS = ("asset", "kind", "site", "purchase_date", "currency", "purchase_cost", "depreciation_months",
           "residual_value", "support_per_month", "space_per_month")
KINDS = ("host", "rack")


class RegisterError(ValueError):
    """The register file cannot be read at all (missing, or without the columns it needs)."""


@dataclass(frozen=True)
class Asset:
    asset: str
    kind: str
    site: str
    purchase_date: dt.date | None
    currency: str
    purchase_cost: Decimal
    depreciation_months: int | None
    residual_value: Decimal
    support_per_month: Decimal
    space_per_month: Decimal
    line: int = 0


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str
    record: dict[str, str]


def _money(row: dict[str, str], column: str) -> Decimal:
    text = (row.get(column) or "").strip()
    if not text:
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{column} {text!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{column} {text!r} is not an amount of money (finite, not negative)")
    return value


def _asset(row: dict[str, str], line: int) -> Asset:
    name, kind = (row.get("asset") or "").strip(), (row.get("kind") or "").strip().lower()
    if not name:
        raise ValueError("asset is empty")
    if kind not in KINDS:
        raise ValueError(f"kind {row.get('kind')!r} is not one of {', '.join(KINDS)}")
    currency = (row.get("currency") or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValueError(f"currency {row.get('currency')!r} is not an ISO 4217 code")
    cost, residual = _money(row, "purchase_cost"), _money(row, "residual_value")
    date_text, months_text = (row.get("purchase_date") or "").strip(), (row.get("depreciation_months") or "").strip()
    purchase_date = months = None
    if cost:
        try:
            purchase_date = dt.date.fromisoformat(date_text)
        except ValueError:
            raise ValueError(f"purchase_date {date_text!r} is not a date (YYYY-MM-DD)") from None
        if not months_text.isdigit() or int(months_text) == 0:
            raise ValueError(f"depreciation_months {months_text!r} is not a whole number of months above 0")
        months = int(months_text)
        if residual > cost:
            raise ValueError(f"residual_value {residual} is above purchase_cost {cost}")
    return Asset(name, kind, (row.get("site") or "").strip(), purchase_date, currency, cost, months, residual,
                 _money(row, "support_per_month"), _money(row, "space_per_month"), line)


def read_register(path: Path) -> tuple[list[Asset], list[Rejected]]:
    """The register's assets and the rows it could not read (with the reason); a repeated asset is rejected."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RegisterError(f"cannot read the hardware register {path}: {exc.strerror or exc}") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("asset", "kind", "currency") if c not in (reader.fieldnames or [])]
    if missing:
        raise RegisterError(f"{path}: missing column(s) {', '.join(missing)} (expected {', '.join(COLUMNS)})")
    assets: list[Asset] = []
    rejected: list[Rejected] = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(reader, start=2):
        record = {k: v for k, v in row.items() if k is not None}
        try:
            asset = _asset(row, line)
        except ValueError as exc:
            rejected.append(Rejected(line, str(exc), record))
            continue
        if (asset.kind, asset.asset) in seen:
            rejected.append(Rejected(line, f"{asset.kind} {asset.asset} is already registered above", record))
            continue
        seen.add((asset.kind, asset.asset))
        assets.append(asset)
    return assets, rejected
