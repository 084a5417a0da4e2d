"""Data-quality suites as plain data: each rule names a great-expectations 1.x expectation, its arguments, a
severity and why it exists, so the same declaration drives the Dagster asset checks and docs/data-quality.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from warehouse.statements import statement

Severity = Literal["error", "warn"]
TIMESTAMP_TYPES = ["datetime64[ns]", "datetime64[us]", "datetime64[ms]", "datetime64[s]"]


@dataclass(frozen=True)
class Rule:
    """One expectation: ``expectation`` is the GX class name (``ExpectColumnValuesToNotBeNull``)."""

    expectation: str
    kwargs: dict[str, Any]
    severity: Severity = "error"
    why: str = ""

    def describe(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"{self.expectation}({args})"


@dataclass(frozen=True)
class Suite:
    """The rules for one asset; the rows to validate are selected by the named statement ``gx_<name>``
    (warehouse/sql/queries), which may use ``$partition`` and ``$load_id``: the partition key and load id of the
    latest successful load of ``audit_source`` in ``audit.loads`` (raw tables). Without ``audit_source`` the
    statement selects its own window.
    """

    name: str
    asset: tuple[str, ...]
    rules: tuple[Rule, ...]
    scope: str
    audit_source: str | None = None
    blocking: bool = False
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sql(self) -> str:
        return statement(f"gx_{self.name}")

    @property
    def columns(self) -> frozenset[str]:
        """The columns the rules read (a rule about the whole table reads none)."""
        named: set[str] = set()
        for rule in self.rules:
            named.update(c for k in ("column", "column_A", "column_B") if (c := rule.kwargs.get(k)))
            named.update(rule.kwargs.get("column_list") or ())
        return frozenset(named)


def not_null(*columns: str, severity: Severity = "error", why: str = "required", mostly: float | None = None
             ) -> list[Rule]:
    extra = {"mostly": mostly} if mostly is not None else {}
    return [Rule("ExpectColumnValuesToNotBeNull", {"column": c, **extra}, severity, why) for c in columns]


def exists(*columns: str, why: str = "the column the staging models read") -> list[Rule]:
    return [Rule("ExpectColumnToExist", {"column": c}, "error", why) for c in columns]


def unique(*columns: str, severity: Severity = "error", why: str = "the grain of the table") -> Rule:
    if len(columns) == 1:
        return Rule("ExpectColumnValuesToBeUnique", {"column": columns[0]}, severity, why)
    return Rule("ExpectCompoundColumnsToBeUnique", {"column_list": list(columns)}, severity, why)


def in_set(column: str, values: list[str], severity: Severity = "error", why: str = "a known value") -> Rule:
    return Rule("ExpectColumnValuesToBeInSet", {"column": column, "value_set": list(values)}, severity, why)


def between(column: str, lo: float | None, hi: float | None, severity: Severity = "error", why: str = "",
            mostly: float | None = None) -> Rule:
    kwargs: dict[str, Any] = {"column": column, "min_value": lo, "max_value": hi}
    if mostly is not None:
        kwargs["mostly"] = mostly
    return Rule("ExpectColumnValuesToBeBetween", kwargs, severity, why)


def regex(column: str, pattern: str, severity: Severity = "error", why: str = "") -> Rule:
    return Rule("ExpectColumnValuesToMatchRegex", {"column": column, "regex": pattern}, severity, why)


def a_not_before_b(a: str, b: str, severity: Severity = "error", why: str = "") -> Rule:
    return Rule("ExpectColumnPairValuesAToBeGreaterThanB",
                {"column_A": a, "column_B": b, "or_equal": True, "ignore_row_if": "either_value_is_missing"},
                severity, why)


def timestamps(*columns: str, why: str = "parsed as a timestamp, not text") -> list[Rule]:
    return [Rule("ExpectColumnValuesToBeInTypeList", {"column": c, "type_list": TIMESTAMP_TYPES}, "error", why)
            for c in columns]


def row_count_at_least(n: int, severity: Severity = "warn", why: str = "an empty result usually means a broken join"
                       ) -> Rule:
    return Rule("ExpectTableRowCountToBeBetween", {"min_value": n, "max_value": None}, severity, why)


def mart_suite(model: str, rules: tuple[Rule, ...], days: int = 7) -> "Suite":
    """The suite of a mart validated over its ``days`` newest days (statement ``gx_<model>``)."""
    return Suite(name=model, asset=("marts", model), scope=f"the latest {days} days", rules=rules)
