"""A model's grain as dbt declares it: the columns of its ``unique_combination`` (or one-column ``unique``) test in
the dbt manifest. The mart suites read it from here, so the grain is written once, in the model's YAML."""

from __future__ import annotations

from functools import cache

from pipelines.lib.dbt_manifest import infraledger_manifest


@cache
def _grains() -> dict[str, tuple[str, ...]]:
    manifest = infraledger_manifest()
    grains: dict[str, tuple[str, ...]] = {}
    for node in manifest["nodes"].values():
        test = node.get("test_metadata") or {}
        model = (node.get("attached_node") or "").split(".")[-1]
        if node.get("resource_type") != "test" or not model:
            continue
        if test.get("name") == "unique_combination":
            grains[model] = tuple(test["kwargs"]["columns"])
        elif test.get("name") == "unique" and model not in grains:
            grains[model] = (test["kwargs"]["column_name"],)
    return grains


def model_grain(model: str) -> tuple[str, ...]:
    """The grain columns of dbt model ``model``; a model without a grain test is an error, not an empty grain."""
    try:
        return _grains()[model]
    except KeyError:
        raise KeyError(f"dbt model {model} declares no grain (a unique_combination test in its YAML)") from None
