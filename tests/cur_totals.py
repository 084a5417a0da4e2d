"""Independent totals of CUR Parquet files for the tests: line items deduplicated by identity, summed as Decimal."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq


def unique_line_items(files: list[Path], columns: list[str] | None = None) -> Iterator[dict]:
    """Every line item of ``files`` once, as the loader keeps it: the first occurrence of each
    (identity_line_item_id, identity_time_interval), in file order."""
    seen: set[tuple[str, str]] = set()
    read = None if columns is None else sorted({"identity_line_item_id", "identity_time_interval", *columns})
    for f in files:
        for r in pq.read_table(f, columns=read).to_pylist():
            key = (r["identity_line_item_id"], r["identity_time_interval"])
            if key not in seen:
                seen.add(key)
                yield r


def dedup_total(files: list[Path]) -> tuple[int, Decimal]:
    """(line items, Σ unblended cost) over ``files``, the first occurrence of each identity counted once."""
    costs = [r["line_item_unblended_cost"] for r in unique_line_items(files, ["line_item_unblended_cost"])]
    return len(costs), sum((Decimal(repr(v)) for v in costs), Decimal(0))


def amortized_cost(r: dict) -> Decimal:
    """A line item's amortized (effective) cost as AWS documents it for the line item types the sample writes:
    covered usage at the plan's or reservation's effective cost, the negation at 0, a plan's recurring fee and a
    reservation's RIFee at their unused parts."""
    kind = r["line_item_line_item_type"]
    if kind == "SavingsPlanCoveredUsage":
        return Decimal(repr(r["savings_plan_savings_plan_effective_cost"]))
    if kind == "SavingsPlanNegation":
        return Decimal(0)
    if kind == "SavingsPlanRecurringFee":
        return (Decimal(repr(r["savings_plan_total_commitment_to_date"]))
                - Decimal(repr(r["savings_plan_used_commitment"])))
    if kind == "DiscountedUsage":
        return Decimal(repr(r["reservation_effective_cost"]))
    if kind == "RIFee":
        return (Decimal(repr(r["reservation_unused_recurring_fee"]))
                + Decimal(repr(r["reservation_unused_amortized_upfront_fee_for_billing_period"])))
    return Decimal(repr(r["line_item_unblended_cost"]))


def final_delivery(samples: Path, period: str) -> tuple[str, list[Path]]:
    """(folder name, Parquet files) of the sample writer's last delivery of ``period`` ('YYYY-MM') under ``samples``."""
    from collectors.samples.aws_cur import EXPORT_NAME

    folder = sorted((samples / "aws_cur" / EXPORT_NAME / "data" / f"BILLING_PERIOD={period}").iterdir())[-1]
    return folder.name, sorted(folder.glob("*.parquet"))
