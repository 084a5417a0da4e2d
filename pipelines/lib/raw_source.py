"""The one way a raw source becomes an asset: plan → fetch (no warehouse lock held) → load (the only step in the
``duckdb`` pool). Retries, pools, partitions, freshness, load checks and metadata are declared here once."""

import datetime as dt
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import dagster as dg
import duckdb

from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.sources.contract import CheckFact, Landed, LoadFacts, Request, SourceUnavailable, SourceUnusable


@dataclass(frozen=True)
class SourceCheck:
    """A source-specific load check: its outcome comes with the load's facts (``CheckFact`` of the same name)."""

    name: str
    description: str
    blocking: bool = True
    warn: bool = False


@dataclass(frozen=True)
class RawSource:
    """A raw table and the three steps that fill it. ``plan(settings, request, watermark)`` says what to fetch,
    ``fetch(settings, plan, log)`` lands it, ``load(conn, landed, request)`` loads the landed files and returns the
    facts. ``watermark(conn, settings, request)``, when given, reads what is already stored before planning."""

    table: str
    resource: str
    group: str
    description: str
    kinds: frozenset[str]
    fetch: Callable[[Any, Any, Any], Landed]
    load: Callable[[duckdb.DuckDBPyConnection, Landed, Request], LoadFacts]
    plan: Callable[[Any, Request, Any], Any] | None = None
    watermark: Callable[[duckdb.DuckDBPyConnection, Any, Request], Any] | None = None
    partitions: dg.PartitionsDefinition | None = None
    single_run_backfill: bool = False
    freshness: dg.FreshnessPolicy | None = None
    checks: tuple[SourceCheck, ...] = ()
    reachability: bool = False
    retries: int = 2               # a scraped source retries at its next scrape instead
    retry_delay_s: int = 10
    deps: tuple[dg.AssetKey, ...] = ()
    setting: str | None = None        # an optional source: its configuration key (``sources.focus``)
    configured: bool = True           # whether the configuration names it (an optional source may be absent)

    @property
    def key(self) -> dg.AssetKey:
        return dg.AssetKey(["raw", self.table])


def _request(context: dg.OpExecutionContext, source: RawSource) -> Request:
    if source.partitions is None:
        return Request()
    if isinstance(source.partitions, dg.TimeWindowPartitionsDefinition):
        window = context.partition_time_window
        key = context.partition_key if not context.has_partition_key_range or \
            context.partition_key_range.start == context.partition_key_range.end else None
        return Request(key, window.start.astimezone(dt.timezone.utc), window.end.astimezone(dt.timezone.utc))
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


def _metadata_value(v: Any) -> Any:
    return dg.MetadataValue.json(v) if isinstance(v, (list, dict)) else v


def _check_specs(source: RawSource) -> list[dg.AssetCheckSpec]:
    """The load checks, the source's own and reachability; those of an unconfigured source gate nothing."""
    specs = load_check_specs(source.key, blocking=source.configured)
    specs += [dg.AssetCheckSpec(c.name, asset=source.key, blocking=c.blocking and source.configured,
                                description=c.description)
              for c in source.checks]
    if source.reachability:
        specs.append(dg.AssetCheckSpec("targets_reachable", asset=source.key,
                                       description="every configured target answered"))
    return specs


def _check_results(source: RawSource, facts: LoadFacts, landed: Landed) -> list[dg.AssetCheckResult]:
    results = load_check_results(facts.rows_read, facts.rows_loaded, facts.rows_quarantined, facts.manifest_rows,
                                 facts.rows_already_loaded, asset_key=source.key)
    outcomes = {f.name: f for f in facts.checks}
    for check in source.checks:
        fact = outcomes.get(check.name)
        if fact is None:
            raise RuntimeError(f"{source.table}: the load reported no outcome for its check {check.name!r}")
        results.append(dg.AssetCheckResult(
            asset_key=source.key, check_name=check.name, passed=fact.passed,
            severity=dg.AssetCheckSeverity.WARN if check.warn else dg.AssetCheckSeverity.ERROR,
            metadata={k: _metadata_value(v) for k, v in fact.metadata.items()}))
    if source.reachability:
        results.append(dg.AssetCheckResult(
            asset_key=source.key, check_name="targets_reachable", passed=not landed.unreachable,
            severity=dg.AssetCheckSeverity.WARN, metadata={"unreachable": dg.MetadataValue.json(landed.unreachable)}))
    return results


def _metadata(source: RawSource, facts: LoadFacts, landed: Landed) -> dict[str, Any]:
    meta: dict[str, Any] = {"dagster/row_count": facts.rows_loaded, "rows_read": facts.rows_read,
                            "rows_loaded": facts.rows_loaded, "rows_quarantined": facts.rows_quarantined,
                            "rows_already_loaded": facts.rows_already_loaded}
    if source.reachability:
        meta["unreachable_targets"] = landed.unreachable
    meta.update(landed.metadata)
    meta.update(facts.metadata)
    return {k: _metadata_value(v) for k, v in meta.items()}


def raw_source_asset(source: RawSource) -> dg.AssetsDefinition:
    """The asset of a raw source: a fetch op with the retry policy, then a load op in the ``duckdb`` pool that
    returns the materialization's metadata and the load checks."""
    name = source.table

    dep_names = [f"after_{'__'.join(k.path)}" for k in source.deps]

    @dg.op(name=f"{name}__fetch", required_resource_keys={"warehouse", source.resource},
           ins={n: dg.In(dg.Nothing) for n in dep_names},
           retry_policy=dg.RetryPolicy(max_retries=source.retries, delay=source.retry_delay_s,
                                       backoff=dg.Backoff.EXPONENTIAL) if source.retries else None,
           description=f"Plan and fetch {name} into the landing area (no warehouse lock held).")
    def fetch(context: dg.OpExecutionContext) -> Landed:
        settings = getattr(context.resources, source.resource)
        request = _request(context, source)
        with _failures_explained():
            mark = None
            if source.watermark is not None:
                with context.resources.warehouse.writer() as conn:
                    mark = source.watermark(conn, settings, request)
            plan = source.plan(settings, request, mark) if source.plan is not None else request
            return source.fetch(settings, plan, context.log)

    @dg.op(name=f"{name}__load", required_resource_keys={"warehouse"}, pool="duckdb",
           out={"result": dg.Out(dg.Nothing), **{
               f"{'__'.join(source.key.path)}_{s.name}": dg.Out(dg.Nothing, is_required=source.setting is None)
               for s in _check_specs(source)}},
           description=f"Load the landed {name} files into the warehouse (the only step holding the duckdb pool).")
    def load(context: dg.OpExecutionContext, landed: Landed) -> Iterator[Any]:
        request = _request(context, source)
        with _failures_explained():
            if landed.empty and source.setting is not None:
                # an optional source with nothing delivered: no check result, so the UI shows them skipped
                why = landed.metadata.get("note", f"{name}: nothing delivered")
                context.log.info(f"{why} (its checks are skipped)")
                yield dg.Output(None, output_name="result", metadata={"note": why, "dagster/row_count": 0})
                return
            if landed.empty:
                facts = LoadFacts(summary=f"{name} {request.label}: nothing to load")
                facts.checks = [CheckFact(c.name, True, {"note": "nothing loaded"}) for c in source.checks]
            else:
                with context.resources.warehouse.writer() as conn:
                    facts = source.load(conn, landed, request)
        if facts.summary:
            context.log.info(facts.summary)
        yield dg.Output(None, output_name="result", metadata=_metadata(source, facts, landed))
        yield from _check_results(source, facts, landed)

    specs = _check_specs(source)
    description, metadata = source.description, {}
    if source.setting is not None:
        metadata["infraledger/configured"] = source.configured
        if not source.configured:
            description += f" Not configured here: add `{source.setting}` to the configuration to load it."

    @dg.graph_multi_asset(
        name=name, ins={n: dg.AssetIn(key=k, dagster_type=dg.Nothing) for n, k in zip(dep_names, source.deps)},
        outs={"result": dg.AssetOut(
            key=source.key, dagster_type=dg.Nothing, description=description, metadata=metadata,
            kinds=set(source.kinds), owners=["team:data-platform"], freshness_policy=source.freshness)},
        partitions_def=source.partitions,
        backfill_policy=dg.BackfillPolicy.single_run() if source.single_run_backfill else None,
        check_specs=specs,
    )
    def asset(**after):
        outputs = load(fetch(**after))
        return {"result": outputs[0], **{f"{'__'.join(source.key.path)}_{s.name}": out
                                         for s, out in zip(specs, outputs[1:])}}

    # graph-backed assets take their group and freshness from the definition, not from AssetOut
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)   # map_asset_specs is a preview API, used knowingly
        return asset.map_asset_specs(lambda spec: spec.replace_attributes(group_name=source.group,
                                                                          freshness_policy=source.freshness))

