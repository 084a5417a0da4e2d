"""A suite validated on a large frame in row chunks, its GX results merged into the one result the whole frame gives.

A CUR month at 4x the sample fleet is 8 million rows: as one pandas frame it took 3.4 GB and its selection twice
that. Rows are split by a hash of the suite's uniqueness key, so rows that could be duplicates of each other meet in
one chunk; every rule a suite uses is a count over rows (merged by adding counts and applying GX's own ``mostly``
test to the sums), a row count, or a property every chunk shares (a column exists, its dtype). A suite with a rule
outside that list is validated whole.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pipelines.quality.rules import Suite

# rules whose result over all rows follows from their results over disjoint chunks (uniqueness only when every row
# that could repeat another is in its chunk: see chunk_key)
_COUNTED = frozenset({
    "ExpectColumnValuesToNotBeNull", "ExpectColumnValuesToBeInSet", "ExpectColumnValuesToBeBetween",
    "ExpectColumnValuesToMatchRegex", "ExpectColumnPairValuesAToBeGreaterThanB",
    "ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique",
})
_SHARED = frozenset({"ExpectColumnToExist", "ExpectColumnValuesToBeInTypeList"})
_ROW_COUNT = "ExpectTableRowCountToBeBetween"
_UNIQUE = frozenset({"ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique"})
MERGEABLE = _COUNTED | _SHARED | {_ROW_COUNT}


def chunk_key(suite: Suite) -> list[str] | None:
    """The columns whose hash splits the suite's rows: those every uniqueness rule reads (rows equal under any of
    them are equal on these, so they share a chunk); [] when the suite has no such rule (any split will do); None
    when the suite cannot be split (a rule outside ``MERGEABLE``, or uniqueness rules with no column in common)."""
    if any(r.expectation not in MERGEABLE for r in suite.rules):
        return None
    keys = [[r.kwargs["column"]] if "column" in r.kwargs else list(r.kwargs["column_list"])
            for r in suite.rules if r.expectation in _UNIQUE]
    if not keys:
        return []
    common = [c for c in keys[0] if all(c in k for k in keys[1:])]
    return common or None


def chunk_count(rows: int, bytes_per_row: float, chunk_bytes: int) -> int:
    """How many chunks keep each near ``chunk_bytes`` of frame."""
    return max(1, math.ceil(rows * bytes_per_row / chunk_bytes))


def merge_results(parts: Sequence[Any]) -> Any:
    """One ``ExpectationSuiteValidationResult`` for the rows of all ``parts`` (the same suite's results on disjoint
    chunks, in the same rule order): the first part's object, its per-rule results and statistics replaced."""
    first = parts[0]
    if len(parts) == 1:
        return first
    from great_expectations.validator.validation_statistics import calc_validation_statistics

    merged = [_merge_rule([p.results[i] for p in parts]) for i in range(len(first.results))]
    first.results = merged
    statistics = calc_validation_statistics(merged)  # GX's own, as the validator computes them
    first.success = statistics.success
    first.statistics = {k: getattr(statistics, k) for k in (
        "evaluated_expectations", "successful_expectations", "unsuccessful_expectations", "success_percent")}
    first.meta["row_chunks"] = len(parts)
    return first


def _merge_rule(parts: list[Any]) -> Any:
    """One rule's results on every chunk as its result on all the rows."""
    first = parts[0]
    failed = next((p for p in parts if _raised(p)), None)
    if failed is not None:
        return failed  # GX could not evaluate it on a chunk: so it could not on all the rows
    config = first.expectation_config
    if config.type in _SHARED_TYPES:
        if all("element_count" in (p.result or {}) for p in parts):  # a dtype checked value by value: counted
            return _merged_counts(parts)
        first.success = all(p.success for p in parts)
        return first
    if config.type == _ROW_COUNT_TYPE:
        rows = sum(int(p.result["observed_value"]) for p in parts)
        first.result = {**first.result, "observed_value": rows}
        first.success = _between(rows, config.kwargs)
        return first
    return _merged_counts(parts)


def _merged_counts(parts: list[Any]) -> Any:
    """Counted rules: element, missing and unexpected counts added, GX's ``mostly`` test on the sums, the partial
    unexpected values and indexes of the chunks in order (GX keeps the first 20 and counts them)."""
    from great_expectations.expectations.expectation import _format_map_output, _mostly_success
    from great_expectations.expectations.expectation_configuration import parse_result_format

    first = parts[0]
    results = [p.result or {} for p in parts]
    elements = sum(r.get("element_count") or 0 for r in results)
    unexpected = sum(r.get("unexpected_count") or 0 for r in results)
    counted_missing = all("missing_count" in r for r in results)
    nonnull = elements - sum(r["missing_count"] or 0 for r in results) if counted_missing else None
    considered = elements if nonnull is None else nonnull
    mostly = first.expectation_config.kwargs.get("mostly")
    mostly = 1.0 if mostly is None else mostly  # GX's default
    success = True if elements == 0 or considered == 0 else _mostly_success(considered, unexpected, mostly)
    values = [v for r in results for v in r.get("partial_unexpected_list") or ()]
    indexes = [i for r in results for i in r.get("partial_unexpected_index_list") or ()]
    output = _format_map_output(
        result_format=parse_result_format("SUMMARY"), success=success, element_count=elements,
        nonnull_count=nonnull, unexpected_count=unexpected,
        unexpected_list=values if any("partial_unexpected_list" in r for r in results) else None,
        unexpected_index_list=indexes if any("partial_unexpected_index_list" in r for r in results) else None)
    first.success = output["success"]
    first.result = output["result"]
    return first


def _raised(result: Any) -> bool:
    """Whether GX could not evaluate the rule: its exception info says so itself, or (a metric failed) per metric."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return True
    return any(getattr(v, "raised_exception", False) or (isinstance(v, dict) and v.get("raised_exception"))
               for v in info.values())


def _between(value: int, kwargs: dict[str, Any]) -> bool:
    lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
    if lo is not None and (value <= lo if kwargs.get("strict_min") else value < lo):
        return False
    return not (hi is not None and (value >= hi if kwargs.get("strict_max") else value > hi))


def _snake(name: str) -> str:
    """GX's configuration type of an expectation class name (ExpectColumnToExist -> expect_column_to_exist)."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


_SHARED_TYPES = frozenset(map(_snake, _SHARED))
_ROW_COUNT_TYPE = _snake(_ROW_COUNT)
