"""Budgets: monthly amounts per service, team, account or in total, read from the YAML file that ``budgets_file``
names (a list of budgets). Each becomes a row per month of marts.fct_budget_status and a Dagster asset check."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import dagster as dg
import yaml
from pydantic import ConfigDict, Field, ValidationError, model_validator

SCOPES = ("total", "service", "team", "account")


class BudgetSettings(dg.Config):
    """One budget (a Dagster config model, so the budgets resource holds them as they are)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$", description="Unique; names its asset check.")
    scope: Literal["total", "service", "team", "account"] = Field(
        description="What the budget covers: everything, one service tag, one team tag, or one account.")
    match: str | None = Field(None, description="The service or team tag value, or the account id (not for total).")
    amount: str = Field(pattern=r"^\d+(\.\d{1,4})?$", description="Monthly amount, a decimal number as text.")
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$", description="ISO 4217; only cost in it counts.")
    warn_at_percent: float = Field(80.0, gt=0, le=100, description="Warn when the basis reaches this % of amount.")
    basis: Literal["actual", "forecast"] = Field(
        "forecast", description="What the warning compares: the month to date, or the month-end forecast.")

    @model_validator(mode="before")
    @classmethod
    def _amount_as_text(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("amount"), (int, float)):
            data = {**data, "amount": str(data["amount"])}
        return data

    @model_validator(mode="after")
    def _match_fits_scope(self) -> "BudgetSettings":
        if (self.scope == "total") != (self.match is None):
            raise ValueError("a total budget has no match; a service, team or account budget needs one")
        return self

    def as_dbt_var(self) -> dict[str, object]:
        return self.model_dump()


def read_budgets(path: Path) -> list[BudgetSettings]:
    """The budgets in ``path`` (a YAML list); ValueError naming the file and the entry when one is invalid."""
    try:
        loaded = yaml.safe_load(path.read_text()) or []
    except yaml.YAMLError as exc:
        raise ValueError(f"budgets file {path} is not valid YAML: {exc}") from exc
    if not isinstance(loaded, list):
        raise ValueError(f"budgets file {path} must hold a list of budgets")
    budgets = []
    for n, item in enumerate(loaded, start=1):
        try:
            budgets.append(BudgetSettings.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "entry"
            raise ValueError(f"budgets file {path}, budget {n}: {where}: {first['msg']}") from None
    names = [b.name for b in budgets]
    if len(set(names)) != len(names):
        raise ValueError(f"budgets file {path}: budget names must be unique, got {names}")
    return budgets
