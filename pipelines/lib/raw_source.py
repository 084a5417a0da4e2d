"""The one way a raw source becomes an asset: plan → fetch (no warehouse lock held) → load (the only step in the
``duckdb`` pool). Retries, pools, partitions, freshness, load checks and metadata are declared here once; the
table's description and freshness come from its dbt source (dbt owns the contracts)."""

import datetime as dt
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg

from pipelines.config import InfraledgerConfig
from pipelines.lib import freshness
from pipelines.lib.dbt_sources import TableContract
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.lib.load_checks import load_check_results, load_check_specs
from pipelines.partitions import by_name
from pipelines.sources.contract import (CheckFact, Landed, LoadFacts, RawSource, Request, SourceUnavailable,
                                        SourceUnusable)
from pipelines.sources.registry import RAW_SOURCES


def raw_key(source: RawSource | str) -> dg.AssetKey:
    """``raw/<table>``: the asset key of a raw source (or of a raw table)."""
    return dg.AssetKey(["raw", source if isinstance(source, str) else source.table])


def unconfigured_keys(cfg: InfraledgerConfig) -> set[dg.AssetKey]:
    """The raw assets of optional sources the configuration does not name: their checks gate nothing."""
    return {raw_key(s) for s in RAW_SOURCES if s.optional and getattr(cfg.sources, s.settings) is None}


def _request(context: dg.OpExecutionContext, source: RawSource) -> Request:
    if source.partitions is None:
        return Request()
    if source.partitions == "daily":
        window = context.partition_time_window
        single = not context.has_partition_key_range or \
            context.partition_key_range.start == context.partition_key_range.end
        return Request(context.partition_key if single else None, window.start.astimezone(dt.timezone.utc),
                       window.end.astimezone(dt.timezone.utc))
    return Request(context.partition_key)


@contextmanager
def _failures_explained() -> Iterator[None]:
    """Bad input and unusable settings fail without retries; an unreachable source fails with them."""
    try:
        with fail_fast_on_bad_input():
            yield
    except SourceUnusable as exc:
        raise dg.Failure(str(exc), allow_retries=False) from exc
    except SourceUnavailable as exc:
        raise dg.Failure(str(exc)) from exc


def _value(v: Any) -> Any:
    return dg.MetadataValue.json(v) if isinstance(v, (list, dict)) else v


def _check_specs(source: RawSource, configured: bool) -> list[dg.AssetCheckSpec]:
    """The load checks, the source's own and reachability; those of an unconfigured source gate nothing."""
    key = raw_key(source)
    specs = load_check_specs(key, blocking=configured)
    specs += [dg.AssetCheckSpec(c.name, asset=key, blocking=c.blocking and configured, description=c.description)
              for c in source.checks]
    if source.reachability:
        specs.append(dg.AssetCheckSpec("targets_reachable", asset=key, description="every configured target answered"))
    return specs


def _check_results(source: RawSource, facts: LoadFacts, landed: Landed) -> list[dg.AssetCheckResult]:
    key = raw_key(source)
    results = load_check_results(facts.rows_read, facts.rows_loaded, facts.rows_quarantined, facts.manifest_rows,
                                 facts.rows_already_loaded, asset_key=key)
    outcomes = {f.name: f for f in facts.checks}
    for check in source.checks:
        if check.name not in outcomes:
            raise RuntimeError(f"{source.table}: the load reported no outcome for its check {check.name!r}")
        results.append(dg.AssetCheckResult(
            asset_key=key, check_name=check.name, passed=outcomes[check.name].passed,
            severity=dg.AssetCheckSeverity.WARN if check.warn else dg.AssetCheckSeverity.ERROR,
            metadata={k: _value(v) for k, v in outcomes[check.name].metadata.items()}))
    if source.reachability:
        results.append(dg.AssetCheckResult(
            asset_key=key, check_name="targets_reachable", passed=not landed.unreachable,
            severity=dg.AssetCheckSeverity.WARN, metadata={"unreachable": dg.MetadataValue.json(landed.unreachable)}))
    return results


def _metadata(source: RawSource, facts: LoadFacts, landed: Landed) -> dict[str, Any]:
    meta: dict[str, Any] = {"dagster/row_count": facts.rows_loaded, "rows_read": facts.rows_read,
                            "rows_loaded": facts.rows_loaded, "rows_quarantined": facts.rows_quarantined,
                            "rows_already_loaded": facts.rows_already_loaded}
    if source.reachability:
        meta["unreachable_targets"] = landed.unreachable
    return {k: _value(v) for k, v in {**meta, **landed.metadata, **facts.metadata}.items()}


def _fetch_op(source: RawSource, after: list[str]) -> dg.OpDefinition:
    @dg.op(name=f"{source.table}__fetch", required_resource_keys={"warehouse", source.settings},
           ins={n: dg.In(dg.Nothing) for n in after},
           retry_policy=dg.RetryPolicy(max_retries=source.retries, delay=source.retry_delay_s,
                                       backoff=dg.Backoff.EXPONENTIAL) if source.retries else None,
           description=f"Plan and fetch {source.table} into the landing area (no warehouse lock held).")
    def fetch(context: dg.OpExecutionContext) -> Landed:
        settings = getattr(context.resources, source.settings)
        request = _request(context, source)
        with _failures_explained():
            mark = None
            if source.watermark is not None:
                with context.resources.warehouse.writer() as conn:
                    mark = source.watermark(conn, settings, request)
            plan = source.plan(settings, request, mark) if source.plan is not None else request
            return source.fetch(settings, plan, context.log)

    return fetch


def _load_op(source: RawSource, check_outputs: list[str]) -> dg.OpDefinition:
    @dg.op(name=f"{source.table}__load", required_resource_keys={"warehouse"}, pool="duckdb",
           # every output optional: a run may select some of a source's tables or checks (the load still runs whole)
           out={o: dg.Out(dg.Nothing, is_required=False) for o in ["result", *source.also, *check_outputs]},
           description=f"Load the landed {source.table} files into the warehouse (the only step in the duckdb pool).")
    def load(context: dg.OpExecutionContext, landed: Landed) -> Iterator[Any]:
        request = _request(context, source)
        if landed.empty and source.optional:
            # an optional source with nothing delivered: no check result, so the UI shows its checks skipped
            why = landed.metadata.get("note", f"{source.table}: nothing delivered")
            context.log.info(f"{why} (its checks are skipped)")
            if "result" in context.selected_output_names:
                yield dg.Output(None, output_name="result", metadata={"note": why, "dagster/row_count": 0})
            return
        with _failures_explained():
            if landed.empty:
                facts = LoadFacts(checks=[CheckFact(c.name, True, {"note": "nothing loaded"}) for c in source.checks],
                                  summary=f"{source.table} {request.label}: nothing to load")
            else:
                with context.resources.warehouse.writer() as conn:
                    facts = source.load(conn, landed, request)
        if facts.summary:
            context.log.info(facts.summary)
        selected = context.selected_output_names
        if "result" in selected:
            yield dg.Output(None, output_name="result", metadata=_metadata(source, facts, landed))
        for table in (t for t in source.also if t in selected):
            yield dg.Output(None, output_name=table, metadata={"dagster/row_count": facts.table_rows.get(table, 0)})
        for result in _check_results(source, facts, landed):
            if f"{'__'.join(result.asset_key.path)}_{result.check_name}" in selected:
                yield result

    return load


def _out(source: RawSource, table: str, description: str, metadata: dict[str, Any]) -> dg.AssetOut:
    return dg.AssetOut(key=raw_key(table), dagster_type=dg.Nothing, description=description, metadata=metadata,
                       is_required=False, kinds=set(source.kinds), owners=["team:data-platform"])


def raw_source_asset(source: RawSource, contracts: dict[str, TableContract] | None = None,
                     configured: bool = True) -> dg.AssetsDefinition:
    """The asset of a raw source: a fetch op with the retry policy, then a load op in the ``duckdb`` pool that
    returns the materialization's metadata and the load checks (one asset per table it replaces). ``contracts`` are
    the raw tables' dbt sources (description, freshness); ``configured`` is False for an optional source the
    configuration does not name."""
    contracts = contracts or {}
    contract = contracts.get(source.table)
    key = raw_key(source)
    specs = _check_specs(source, configured)
    outputs = [f"{'__'.join(key.path)}_{s.name}" for s in specs]
    after = [f"after_{t}" for t in source.after]
    description = (contract.description if contract else None) or source.description or source.table
    policies = {t: c.freshness for t, c in contracts.items() if c.freshness is not None}
    policies.setdefault(source.table, getattr(freshness, (source.freshness or "").upper(), None))
    metadata: dict[str, Any] = {}
    if source.optional:
        metadata["infraledger/configured"] = configured
        if not configured:
            description += f" Not configured here: add `sources.{source.settings}` to the configuration to load it."
    fetch, load = _fetch_op(source, after), _load_op(source, outputs)

    @dg.graph_multi_asset(
        name=source.table, ins={n: dg.AssetIn(key=raw_key(t), dagster_type=dg.Nothing) for n, t in zip(after, source.after)},
        outs={"result": _out(source, source.table, description, metadata),
              **{t: _out(source, t, contracts[t].description if t in contracts else t, {})
                 for t in source.also}},
        partitions_def=by_name(source.partitions), check_specs=specs, can_subset=True,
        backfill_policy=dg.BackfillPolicy.single_run() if source.single_run_backfill else None,
    )
    def asset(**upstream):
        results = load(fetch(**upstream))
        tables = dict(zip(source.also, results[1:1 + len(source.also)]))
        return {"result": results[0], **tables, **dict(zip(outputs, results[1 + len(source.also):]))}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)   # map_asset_specs is a preview API, used knowingly
        # graph-backed assets take their group and freshness from the specs, not from AssetOut
        return asset.map_asset_specs(lambda s: s.replace_attributes(
            group_name=source.group, freshness_policy=policies.get(s.key.path[-1])))
