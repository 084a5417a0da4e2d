"""A great-expectations suite as a Dagster asset check: the rows it validates (the latest load of a raw source, or a
mart's recent rows), the validation recorded in ``audit.quality_results`` and the data docs, the result with its
severity."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pyarrow as pa
from duckdb import ColumnExpression, Expression, sqltypes

from pipelines.lib.memory import release_freed_memory
from pipelines.quality.chunks import chunk_count, chunk_key
from pipelines.quality.gx_runner import ValidationSummary, columns_to_validate, gx_session, import_gx
from pipelines.quality.rules import Suite
from pipelines.resources_impl import QualityResource, WarehouseResource
from warehouse.quality import ResultRow, record_validation
from warehouse.statements import run

CHECK_NAME = "gx_suite"
# frames of at least this many values (rows x columns) are worth a garbage collection (~0.3 s in a run's process) to
# hand their memory back: a CUR month's or fct_cost's frames at scale 1 hold 20-30 million
RELEASE_AFTER_VALUES = 5_000_000
SAMPLE_ROWS = 10_000  # the first rows of a suite's selection, to judge its size (quality.chunk_mib)


@dataclass
class _Plan:
    """How a suite's rows are taken: its statement's parameters, the scope label, in how many row chunks."""

    params: dict[str, object]
    scope: str
    rows: int
    columns: int
    chunks: int
    key: tuple[str, ...]
    whole: pd.DataFrame | None = None  # all the rows, where the first look took them all


def _projected(conn, suite: Suite, params: dict[str, object]) -> duckdb.DuckDBPyRelation:
    """The suite's rows with only the columns it reads (DuckDB reads no others), typed as ``.df()`` would give them
    to pandas: DECIMAL as float64, DATE as datetime64."""
    selected = conn.sql(suite.sql, params=params or None)
    types = dict(zip(selected.columns, map(str, selected.types)))
    return selected.select(*[_as_pandas_reads_it(c, types[c]) for c in columns_to_validate(selected.columns, suite)])


def _arrow(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """The relation's rows as an Arrow table (DuckDB 2.0 gives a RecordBatchReader, earlier releases a Table)."""
    table = relation.arrow()
    return table.read_all() if hasattr(table, "read_all") else table


def _to_pandas(relation: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """Through Arrow: a CUR month's hundred-odd columns cost seconds and gigabytes in pandas for rules that read
    fifteen, and DuckDB's own conversion to pandas is several times slower than Arrow's."""
    # one chunk per column: a pyarrow-backed column in thousands of record batches is slow in every pandas step
    return _arrow(relation).combine_chunks().to_pandas()


def _frame(conn, suite: Suite, params: dict[str, object] | None = None) -> pd.DataFrame:
    """The suite's rows as one frame."""
    return _to_pandas(_projected(conn, suite, params or {}))


def _as_pandas_reads_it(column: str, sql_type: str) -> Expression:
    ref = ColumnExpression(column)
    if sql_type.startswith("DECIMAL"):
        return ref.cast(sqltypes.DOUBLE).alias(column)
    if sql_type == "DATE":
        return ref.cast(sqltypes.TIMESTAMP).alias(column)
    return ref


def _plan(conn, suite: Suite, chunk_bytes: int) -> _Plan | None:
    """Which rows the suite validates and in how many chunks (frames near ``chunk_bytes`` each, judged from the
    first rows' size in Arrow); None when the source has no successful load yet."""
    params: dict[str, object] = {}
    scope = suite.scope
    if suite.audit_source is not None:
        loads = run(conn, "latest_successful_load", source=suite.audit_source).fetchall()  # the cursor done with
        if not loads:
            return None
        latest = loads[0]
        params = {k: v for k, v in (("partition", latest[0]), ("load_id", latest[1])) if f"${k}" in suite.sql}
        scope = f"{suite.scope}: {latest[0]} (load {latest[1]})"
    relation = _projected(conn, suite, params)
    key = chunk_key(suite)
    sample = _arrow(relation.limit(SAMPLE_ROWS))
    columns = tuple(relation.columns)
    complete = sample.num_rows < SAMPLE_ROWS  # the first look took all the rows
    if complete and (key is None or sample.nbytes <= chunk_bytes):
        return _Plan(params, scope, sample.num_rows, len(columns), 1, (), sample.combine_chunks().to_pandas())
    rows = sample.num_rows if complete else relation.aggregate("count(*)").fetchall()[0][0]
    chunks = 1 if key is None else chunk_count(rows, sample.nbytes / max(sample.num_rows, 1), chunk_bytes)
    return _Plan(params, scope, rows, len(columns), chunks, tuple(key or columns))


def _chunk(conn, suite: Suite, plan: _Plan, i: int) -> pd.DataFrame:
    """Chunk ``i`` of ``plan.chunks``: the rows whose hash of ``plan.key`` falls in it."""
    relation = _projected(conn, suite, plan.params)
    quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in plan.key)
    return _to_pandas(relation.filter(f"hash({quoted}) % {plan.chunks} = {i}"))


def _chunks(warehouse: WarehouseResource, suite: Suite, plan: _Plan) -> Iterator[pd.DataFrame]:
    """The chunks one by one, each selected on a connection of its own (closed before the chunk is validated, so
    DuckDB's cached pages go with it)."""
    for i in range(plan.chunks):
        with warehouse.writer() as conn:
            chunk = _chunk(conn, suite, plan, i)
        yield chunk
        del chunk


def _check_result(context: dg.AssetCheckExecutionContext, conn, suite: Suite, summary: ValidationSummary,
                  scope: str) -> dg.AssetCheckResult:
    """Record ``summary`` in ``audit.quality_results``, log its failures and make the check's result: ERROR when an
    error rule fails, WARN when only warnings do."""
    asset = dg.AssetKey(list(suite.asset))
    page = str(summary.docs_page) if summary.docs_page else None
    validation_id = record_validation(
        conn, suite=suite.name, asset_key="/".join(suite.asset), scope=scope, run_id=context.run.run_id,
        rows_validated=summary.rows, docs_page=page, validated_at=summary.validated_at,
        results=[ResultRow(o.expectation, o.column, o.severity, o.success, o.unexpected_count, o.observed)
                 for o in summary.outcomes])
    metadata: dict[str, object] = {**summary.as_metadata(), "scope": scope, "validation_id": validation_id}
    if page:
        # a path to copy (or open with `infraledger quality`): browsers block file:// links from the UI's page
        metadata["data_docs"] = dg.MetadataValue.path(page)
    for line in metadata["errors"]:
        context.log.error(f"{suite.name}: {line}")
    for line in metadata["warnings"]:
        context.log.warning(f"{suite.name}: {line}")
    if summary.errors:
        return dg.AssetCheckResult(asset_key=asset, check_name=CHECK_NAME, passed=False,
                                   severity=dg.AssetCheckSeverity.ERROR, metadata=metadata,
                                   description="; ".join(metadata["errors"])[:2000])
    if summary.warnings:
        return dg.AssetCheckResult(asset_key=asset, check_name=CHECK_NAME, passed=False,
                                   severity=dg.AssetCheckSeverity.WARN, metadata=metadata,
                                   description="; ".join(metadata["warnings"])[:2000])
    return dg.AssetCheckResult(asset_key=asset, check_name=CHECK_NAME, passed=True, metadata=metadata)


def _spec(suite: Suite, blocking: bool) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(CHECK_NAME, asset=dg.AssetKey(list(suite.asset)), blocking=blocking,
                             description=f"great-expectations suite {suite.name} on {suite.scope} "
                                         f"({len(suite.rules)} rules; see docs/data-quality.md).")


def _validated(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, quality: QualityResource,
               suites: list[Suite], index: bool) -> tuple[list[tuple[Suite, ValidationSummary, str]], int]:
    """Each suite validated, with its scope; and how many values (rows x columns) the frames held. Suites whose
    rows fit one frame are selected first, on one connection; larger ones chunk by chunk as they are validated."""
    with warehouse.writer() as conn:
        plans = [(suite, _plan(conn, suite, int(quality.chunk_mib * 2**20))) for suite in suites]
        loaded = [(suite, plan) for suite, plan in plans if plan is not None]
        if loaded:
            # before the frames (the plans' small first looks aside): GX's first import freezes what is alive
            import_gx()
        frames = {suite.name: plan.whole if plan.whole is not None else _frame(conn, suite, plan.params)
                  for suite, plan in loaded if plan.chunks == 1}
        for _, plan in loaded:
            plan.whole = None
    for suite, plan in plans:
        if plan is None:
            context.log.info(f"{suite.name}: no successful {suite.audit_source} load yet, nothing to validate "
                             "(the check is skipped)")
    validated: list[tuple[Suite, ValidationSummary, str]] = []
    values = sum(plan.rows * plan.columns for _, plan in loaded)
    if not loaded:  # no GX context to open (nor great-expectations to import) for a source that never loaded
        return validated, values
    with gx_session(Path(quality.docs_dir), keep_results=quality.keep_results, build_index=index) as session:
        for suite, plan in loaded:
            if plan.chunks == 1:
                summary = session.validate(frames.pop(suite.name), suite)
            else:
                context.log.info(f"{suite.name}: {plan.rows:,} rows validated in {plan.chunks} chunks split by "
                                 f"a hash of {', '.join(plan.key)}")
                summary = session.validate_chunks(_chunks(warehouse, suite, plan), suite)
            validated.append((suite, summary, plan.scope))
    return validated, values


def _run_suites(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, quality: QualityResource,
                suites: list[Suite], index: bool) -> Iterator[dg.AssetCheckResult]:
    """Select every suite's rows on one warehouse connection, close it, validate them in one GX session (one
    context, the data docs built once at its end), then record and yield each result on a second connection. The
    connection is not held while GX runs: DuckDB's cached pages beside a large frame (a CUR month) would raise the
    peak memory. After large frames their memory goes back to the system, so later steps of the run do not start
    from it. A source that has never loaded has nothing to validate: its check yields no result."""
    validated, values = _validated(context, warehouse, quality, suites, index)  # the frames are gone on return
    if values >= RELEASE_AFTER_VALUES:
        release_freed_memory()
    with warehouse.writer() as conn:
        results = [_check_result(context, conn, suite, summary, scope) for suite, summary, scope in validated]
    yield from results


def gx_check(suite: Suite, gating: bool = True) -> dg.AssetChecksDefinition:
    """The asset check running ``suite``: ERROR when an error rule fails, WARN when only warnings do. A source that
    has never loaded (not configured, or nothing delivered yet) has nothing to validate: the check yields no result,
    so the UI shows it skipped rather than a green pass over no rows. ``gating=False`` (a source that is not
    configured) keeps a blocking suite from blocking: there is nothing it could find."""

    @dg.multi_asset_check(specs=[_spec(suite, suite.blocking and gating)], can_subset=True, pool="duckdb",
                          name=f"{'__'.join(suite.asset)}__gx_suite")
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource,
               quality: QualityResource) -> Iterator[dg.AssetCheckResult]:
        # the docs index (it lists every kept result) is left to the mart suites' step, which ends a daily run,
        # and to `infraledger quality`
        yield from _run_suites(context, warehouse, quality, [suite], index=False)

    return _check


def gx_checks_together(name: str, suites: list[Suite]) -> dg.AssetChecksDefinition:
    """The ``gx_suite`` checks of several assets (non-blocking ones) in one step: one DuckDB connection at a time,
    one GX context and one data docs build for all of them instead of one each. Each asset still has its own check
    and result; a run that selects some of them validates only those."""
    if any(s.blocking for s in suites):
        raise ValueError("a blocking suite needs its own step: the assets downstream wait for it alone")
    by_key = {dg.AssetCheckKey(dg.AssetKey(list(s.asset)), CHECK_NAME): s for s in suites}

    @dg.multi_asset_check(specs=[_spec(s, False) for s in suites], can_subset=True, pool="duckdb", name=name)
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource,
                quality: QualityResource) -> Iterator[dg.AssetCheckResult]:
        selected = context.selected_asset_check_keys
        yield from _run_suites(context, warehouse, quality, [s for k, s in by_key.items() if k in selected],
                               index=True)

    return _checks
