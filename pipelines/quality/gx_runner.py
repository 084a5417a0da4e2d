"""Run a great-expectations 1.x suite on a pandas frame (GX's SQL path does not work on DuckDB)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None


@dataclass(frozen=True)
class ValidationSummary:
    suite: str
    success: bool
    rows: int
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    def as_metadata(self) -> dict[str, object]:
        return {
            "suite": self.suite,
            "rows_validated": self.rows,
            "expectations": len(self.outcomes),
            "failed": [f"{o.expectation}({o.column}): {o.unexpected_count} unexpected" for o in self.failed],
        }


def validate(frame: pd.DataFrame, suite_name: str, build: Callable[[], list]) -> ValidationSummary:
    """Validate ``frame`` against the expectations ``build()`` returns, in an ephemeral GX context."""
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas(name=f"{suite_name}_source")
    batch_def = source.add_dataframe_asset(name=f"{suite_name}_frame").add_batch_definition_whole_dataframe("whole")
    suite = context.suites.add(gx.ExpectationSuite(name=suite_name))
    for expectation in build():
        suite.add_expectation(expectation)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{suite_name}_validation", data=batch_def, suite=suite)
    )
    result = definition.run(batch_parameters={"dataframe": frame})
    outcomes = []
    for r in result.results:
        cfg = r.expectation_config
        outcomes.append(
            ExpectationOutcome(
                expectation=cfg.type,
                column=cfg.kwargs.get("column"),
                success=bool(r.success),
                unexpected_count=(r.result or {}).get("unexpected_count"),
            )
        )
    return ValidationSummary(suite=suite_name, success=bool(result.success), rows=len(frame), outcomes=outcomes)
