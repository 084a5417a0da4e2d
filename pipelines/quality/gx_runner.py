"""Run a suite with great-expectations 1.x on a pandas frame (GX's SQL path does not work on DuckDB).

With ``docs_dir`` the suites run in a file data context there, so every validation result is kept and the GX data
docs site (``<docs_dir>/gx/uncommitted/data_docs/local_site``) gets their pages; a file lock serializes processes
that validate at the same time. Without it the context is ephemeral (tests, ad hoc checks). A ``gx_session``
validates several suites in one context and builds their pages and the site's index once, at its end.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import importlib
import json
import os
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import pandas as pd

from pipelines.lib.memory import freeze_long_lived, release_freed_memory
from pipelines.quality.rules import Rule, Suite

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
DATASOURCE = "infraledger"
DOCS_SITE = "local_site"
DECLARED = "infraledger_declared_suites.json"  # in the GX project folder
DECLARATION = 1  # raise it when _declare writes a suite's GX objects differently: every suite is declared again


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    severity: str
    success: bool
    unexpected_count: int | None
    observed: str | None = None
    why: str = ""
    example: str | None = None          # one failing row of the frame, as column=value pairs


@dataclass(frozen=True)
class ValidationSummary:
    suite: str
    success: bool
    rows: int
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    validated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    docs_page: Path | None = None
    row_chunks: int = 1                 # the chunks the rows were validated in (quality.chunk_mib)

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def errors(self) -> list[ExpectationOutcome]:
        """Failed rules that must stop the data (severity error)."""
        return [o for o in self.failed if o.severity == "error"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.failed if o.severity == "warn"]

    def as_metadata(self) -> dict[str, object]:
        return {
            "suite": self.suite,
            "rows_validated": self.rows,
            "row_chunks": self.row_chunks,
            "expectations": len(self.outcomes),
            "errors": [describe_failure(o, self.rows) for o in self.errors],
            "warnings": [describe_failure(o, self.rows) for o in self.warnings],
        }


def describe_failure(o: ExpectationOutcome, rows: int) -> str:
    """One line a person can act on: the rule, why it exists, how many rows fail, and one failing row."""
    where = f"({o.column})" if o.column else ""
    found = (f"{o.unexpected_count} of {rows} rows fail" if o.unexpected_count is not None
             else f"observed {o.observed}")
    why = f" [{o.why}]" if o.why else ""
    example = f"; e.g. {o.example}" if o.example else ""
    return f"{o.expectation}{where}{why}: {found}{example}"


# columns that say which row it is, shown first after the rule's own columns
_KEY_COLUMNS = ("day", "hour_start", "charge_date", "sample_time", "service", "provider", "provider_name", "hostname",
                "gpu_uuid", "resource_id", "identity_line_item_id", "line_item_resource_id", "sku_description",
                "_source_file", "_source_row", "_source_line")


def columns_to_validate(available: list[str], suite: Suite) -> list[str]:
    """The columns of the selected rows a suite needs, in their order: those its rules read and those that name a
    failing row in its message. A column a rule names but the rows lack stays out, so its rule (``ExpectColumnToExist``
    and the rest) fails as it would on every column; a suite of table rules alone keeps the first column, for the
    row count."""
    wanted = suite.columns | set(_KEY_COLUMNS)
    return [c for c in available if c in wanted] or available[:1]


def _example_row(frame: pd.DataFrame, expectation: str, kwargs: dict, partial: list | None) -> str | None:
    """The first row of ``frame`` that breaks a column (or column pair) rule, as ``column=value`` pairs: the rule's
    columns, then the columns that identify the row; None where the rule is not about single rows."""
    rule_cols = [c for c in (kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B")) if c]
    if not rule_cols or any(c not in frame.columns for c in rule_cols) or frame.empty:
        return None
    if expectation in ("ExpectColumnValuesToNotBeNull", "expect_column_values_to_not_be_null"):
        hits = frame[frame[rule_cols[0]].isna()]
    elif len(rule_cols) == 2 and partial:
        pairs = {tuple(p) for p in partial if isinstance(p, (list, tuple)) and len(p) == 2}
        hits = frame[[(a, b) in pairs for a, b in zip(frame[rule_cols[0]], frame[rule_cols[1]])]]
    elif partial:
        hits = frame[frame[rule_cols[0]].isin(partial)]
    else:
        return None
    if hits.empty:
        return None
    row = hits.iloc[0]
    shown = lambda v: "NULL" if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)) else str(v)  # noqa: E731
    columns = rule_cols + [c for c in _KEY_COLUMNS if c in frame.columns and c not in rule_cols]
    columns += [c for c in frame.columns if c not in columns][:max(0, 12 - len(columns))]
    return ", ".join(f"{k}={shown(row[k])}"[:80] for k in columns)


def _expectation(gx: Any, rule: Rule) -> Any:
    cls = getattr(gx.expectations, rule.expectation)
    return cls(**rule.kwargs, meta={"severity": rule.severity, "why": rule.why})


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _get_or_add(getter: Any, adder: Any, name: str) -> Any:
    try:
        return getter(name)
    except Exception:  # GX raises a different class per object kind when a name is missing
        return adder(name)


def _fingerprint(suite: Suite) -> str:
    """What the stored GX objects of a suite are made from: its rules, how ``_declare`` writes them
    (``DECLARATION``) and the GX release that stored them."""
    from great_expectations import __version__ as gx_version

    return hashlib.sha256(repr((DECLARATION, gx_version, suite.rules)).encode()).hexdigest()


def _declare(context: Any, gx: Any, suite: Suite) -> Any:
    """Write the suite's data asset, expectation suite, validation definition and checkpoint to the context's stores
    (each replaced if present); returns the checkpoint."""
    source = _get_or_add(context.data_sources.get, lambda n: context.data_sources.add_pandas(name=n), DATASOURCE)
    asset = _get_or_add(source.get_asset, lambda n: source.add_dataframe_asset(name=n), suite.name)
    batch = _get_or_add(asset.get_batch_definition, asset.add_batch_definition_whole_dataframe, "whole")
    gx_suite = gx.ExpectationSuite(name=suite.name, expectations=[_expectation(gx, r) for r in suite.rules])
    definition = gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
    # one call stores all three: GX adds or updates a checkpoint's validation definitions, and each one's suite, with
    # it (storing the suite and the definition first as well wrote each of them two or three times)
    return context.checkpoints.add_or_update(
        gx.Checkpoint(name=suite.name, validation_definitions=[definition], actions=[], result_format="SUMMARY"))


def _defer_config_saves(context: Any) -> Any:
    """Make the file context's saves of its project file (great_expectations.yml) wait; returns the function that
    writes it once, if anything asked to, and lets later saves through. GX rewrites the whole file, every data asset
    of the project in it, each time one data asset or batch definition is added: declaring the 48 suites into a new
    project wrote it 97 times, half of the declaring's time. The stores of suites, validation definitions and
    checkpoints are files of their own, written as before; what GX holds in memory is the same. If the session fails
    before the one write, the declared-suites file is not written either, so the next session declares them again."""
    save = getattr(context, "_save_project_config", None)
    if save is None:  # another GX release: its saves go through as they are
        return lambda: None
    asked: list[bool] = []
    context._save_project_config = lambda: asked.append(True)  # shadows the method on this context alone

    def flush() -> None:
        context.__dict__.pop("_save_project_config", None)
        if asked:
            asked.clear()
            save()

    return flush


def _stored_checkpoint(context: Any, suite: Suite, declared: dict[str, str]) -> Any | None:
    """The suite's checkpoint as stored, where the stores hold it as declared from these very rules; else None."""
    if declared.get(suite.name) != _fingerprint(suite):
        return None
    try:
        return context.checkpoints.get(suite.name)
    except Exception:  # removed from the store since (GX raises a different class per kind of missing object)
        return None


class GxSession:
    """Suites validated in one GX context; ``docs_site`` is where their data docs pages go (None: no docs)."""

    def __init__(self, context: Any, docs_site: Path | None) -> None:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)  # they would fill the run logs
        self._context = context
        self._site = docs_site
        self._documented: list[Any] = []    # the identifiers of the results and suites whose pages are due
        self.suites: list[str] = []         # the suites validated in this session
        # the rules each suite's stored GX objects were declared from (a file context keeps them across sessions:
        # re-declaring an unchanged suite rewrote four stores and its docs page on every validation)
        self._declared_file = Path(context.root_directory) / DECLARED if docs_site is not None else None
        self._declared: dict[str, str] = (json.loads(self._declared_file.read_text())
                                          if self._declared_file and self._declared_file.is_file() else {})
        self._declared_now = False  # whether this session declared a suite (the file is rewritten only then)
        self._declared_in_session: dict[str, bool] = {}
        self._config_saves = _defer_config_saves(context) if docs_site is not None else None

    def validate(self, frame: pd.DataFrame, suite: Suite) -> ValidationSummary:
        """Validate ``frame`` against ``suite``; its docs page (``docs_page``) is written when the session ends."""
        return self.validate_chunks(iter([frame]), suite, collect=False)

    def validate_chunks(self, frames: Iterator[pd.DataFrame], suite: Suite, *,
                        collect: bool = True) -> ValidationSummary:
        """Validate the rows of ``frames`` (disjoint row chunks, split as ``chunks.chunk_key`` says, taken one at a
        time) against ``suite``: one result, one docs page, as for one frame. ``collect``: after each chunk, collect
        garbage (GX holds the chunk in reference cycles) and hand the freed memory back, so that one chunk is held
        at a time (fct_cost's check at scale 4 peaked at 2,195 MiB with garbage collected alone, 1,888 with this)."""
        from pipelines.quality.chunks import merge_results

        checkpoint = self._checkpoint(suite)
        parts: list[Any] = []
        examples: dict[int, str] = {}
        rows = 0
        ident = None
        for frame in frames:
            if rows:  # a later chunk: its unexpected rows' indexes count on from the chunks before it
                frame.index = pd.RangeIndex(rows, rows + len(frame))
            if ident is None:
                ident, part = _run_stored(checkpoint, frame)
            else:  # later chunks: validated alone, not stored (the merged result replaces the first chunk's)
                part = _validate_unstored(checkpoint, frame)
            _find_examples(frame, part, examples)
            rows += len(frame)
            parts.append(part)
            del frame  # before the next chunk is selected
            if collect:
                release_freed_memory()
        if ident is None:
            raise ValueError(f"{suite.name}: no rows to validate (not even an empty frame)")
        suite_result = merge_results(parts)
        if len(parts) > 1:
            self._context.validation_results_store.set(ident, suite_result)
        self.suites.append(suite.name)
        page = None
        if self._site is not None:
            from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

            self._documented.append(ident)
            if self._declared_in_session.get(suite.name) or not (
                    self._site / "expectations" / f"{suite.name}.html").is_file():
                self._documented.append(ExpectationSuiteIdentifier(name=suite.name))  # the suite's page changed
            parts_of_id = ident.to_tuple()
            page = self._site.joinpath("validations", *parts_of_id[:-1], f"{parts_of_id[-1]}.html")
        return _summary(rows, suite, suite_result, examples, page, chunks=len(parts))

    def _checkpoint(self, suite: Suite) -> Any:
        """The suite's stored checkpoint, declared first where the stores do not hold it as its rules say."""
        import great_expectations as gx

        checkpoint = _stored_checkpoint(self._context, suite, self._declared)
        if checkpoint is None:
            checkpoint = _declare(self._context, gx, suite)
            self._declared[suite.name] = _fingerprint(suite)
            self._declared_now = True
            self._declared_in_session[suite.name] = True
        return checkpoint

    def save_declared(self) -> None:
        """Write GX's project file once (the data assets and batch definitions declared in this session), then keep
        which rules the stored suites were declared from, for the next session."""
        if self._config_saves is not None:
            self._config_saves()
        if self._declared_file is not None and self._declared_now:
            tmp = self._declared_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._declared, indent=1, sort_keys=True))
            os.replace(tmp, self._declared_file)

    def build_docs(self, index: bool = True) -> None:
        """The pages of this session's validations and suites, and (``index``) the site's index, built once."""
        if self._site is not None and self._documented:
            self._context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=self._documented,
                                          build_index=index)
            self._documented = []

    def build_index(self) -> None:
        """The site's index page alone (it lists every kept result and suite)."""
        if self._site is not None:
            from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

            # GX builds every page when given no identifiers: name one that has no page, so only the index is built
            self._context.build_data_docs(site_names=[DOCS_SITE], build_index=True,
                                          resource_identifiers=[ExpectationSuiteIdentifier(name="__index_only__")])


def import_gx() -> Any:
    """great_expectations, imported without the warning pyspark gives at import where it is installed (the spark
    extra: GX imports it) that it does not fully support pandas 3; nothing here runs GX on Spark, so that warning
    would only alarm a user reading the run. The first import also freezes the process's long-lived objects
    (``freeze_long_lived``): call it before building the frames to validate, so that they are not among them."""
    # a filter, not catch_warnings(): that would also drop the filters GX sets while it imports
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"pyspark(\.|$)")
    if "great_expectations" not in sys.modules:
        # first imported in a thread of its own: exceptions GX keeps from its import (with their tracebacks) keep
        # every frame that imported it alive, and with them the caller's locals, a step's frames, for the life of
        # the process (an import error here is raised again by the import below)
        importer = threading.Thread(target=_import_quietly, args=("great_expectations",), name="import-gx")
        importer.start()
        importer.join()
        freeze_long_lived()  # GX's own objects and everything loaded before: collections no longer walk them
    import great_expectations as gx

    _no_batch_fingerprint()
    _templates_compiled_once()
    return gx


def _no_batch_fingerprint() -> None:
    """GX fingerprints every pandas batch under 1 GB of shallow memory: pandas' hash of every value, then md5, kept
    as ``pandas_data_fingerprint`` among the result's batch markers. Nothing here reads it (a validation is
    identified by its load, scope and row count in ``audit.quality_results``), and it was half of a CUR month's
    or fct_cost's validation (3 of 6.5 s). The same rules run on the same rows; frames of any size now skip the
    fingerprint, as GX itself does above 1 GB. A test fails if a GX release moves the threshold."""
    from great_expectations.execution_engine import pandas_execution_engine

    if hasattr(pandas_execution_engine, "HASH_THRESHOLD"):
        pandas_execution_engine.HASH_THRESHOLD = 0


def _templates_compiled_once() -> None:
    """GX renders data docs pages with a new Jinja environment for each view it makes (several per docs build, one
    build per session), so every build parsed and compiled its templates again: ~0.1 s of a session's 0.13 s docs
    build, ~20 sessions a run. Their compiled code is now kept for the process (Jinja's bytecode cache, keyed by the
    template and a checksum of its source, so a changed template is compiled again); the pages are the same."""
    from great_expectations.render.view import view

    init = view.DefaultJinjaView.__init__
    if getattr(init, "_compiled_once", False):
        return

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.env.bytecode_cache = _COMPILED_TEMPLATES

    __init__._compiled_once = True  # type: ignore[attr-defined]
    view.DefaultJinjaView.__init__ = __init__


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory, by template and source checksum."""

    def __init__(self) -> None:
        self._codes: dict[tuple[str, str], Any] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._codes.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._codes[(bucket.key, bucket.checksum)] = bucket.code


_COMPILED_TEMPLATES = _CompiledTemplates()


def _import_quietly(module: str) -> None:
    try:
        importlib.import_module(module)
    except Exception:  # noqa: BLE001 (the caller imports it again and gets the error)
        pass


@contextmanager
def gx_session(docs_dir: Path | None = None, *, keep_results: int | None = None,
               build_index: bool = True) -> Iterator[GxSession]:
    """One GX context for several validations: a file context in ``docs_dir`` (locked against other processes for
    the session; the docs are built when it ends) or, without it, an ephemeral one. ``keep_results``: the newest
    results kept per suite validated (older results and their pages are removed first: GX lists every kept result on
    each docs build, so an unbounded store made every check slower day by day). ``build_index=False`` leaves the
    site's index page to a later session (it lists every result; one build per run is enough)."""
    gx = import_gx()
    try:
        if docs_dir is None:
            yield GxSession(gx.get_context(mode="ephemeral"), None)
            return
        with _locked(docs_dir):
            session = GxSession(gx.get_context(mode="file", project_root_dir=str(docs_dir)),
                                docs_site(docs_dir))
            yield session
            session.save_declared()
            if keep_results is not None:
                prune_results(docs_dir, session.suites, keep_results)
            session.build_docs(index=build_index)
    finally:
        _forget_context()


def _forget_context() -> None:
    """Drop GX's process-wide reference to the session's context: it kept the last validated frame (a CUR month's,
    hundreds of MB) alive until the next session replaced it."""
    from great_expectations.data_context.data_context import context_factory

    manager = getattr(context_factory, "project_manager", None)
    if manager is not None and hasattr(manager, "set_project"):
        manager.set_project(None)


def docs_site(docs_dir: Path) -> Path:
    """The data docs site of the GX project in ``docs_dir`` (its index.html is the page to open)."""
    return docs_dir / "gx" / "uncommitted" / "data_docs" / DOCS_SITE


def rebuild_index(docs_dir: Path) -> Path:
    """Build the data docs site's index page (listing every kept result); returns its path."""
    with gx_session(docs_dir) as session:
        session.build_index()
    return docs_site(docs_dir) / "index.html"


def prune_results(docs_dir: Path, suites: list[str], keep: int) -> int:
    """Remove all but the newest ``keep`` validation results of each of ``suites`` from GX's store, with their data
    docs pages (every result stays in the warehouse's audit.quality_* tables). Returns the results removed."""
    store = docs_dir / "gx" / "uncommitted" / "validations"
    pages = docs_site(docs_dir) / "validations"
    removed = 0
    for name in sorted(set(suites)):
        # <suite>/<run name>/<run time, e.g. 20261206T114856.680332Z>/<batch>.json: the run time orders them
        results = sorted((store / name).glob("*/*/*.json"), key=lambda p: (p.parent.name, p.name), reverse=True)
        for old in results[max(keep, 0):]:
            relative = old.relative_to(store)
            old.unlink(missing_ok=True)
            (pages / relative).with_suffix(".html").unlink(missing_ok=True)
            for folder in (store / relative.parent, pages / relative.parent):
                _remove_empty(folder, stop=folder.parents[1])
            removed += 1
    return removed


def _remove_empty(folder: Path, stop: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) ``stop`` while they are empty."""
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def validate(frame: pd.DataFrame, suite: Suite, docs_dir: Path | None = None) -> ValidationSummary:
    """Validate ``frame`` against ``suite``; with ``docs_dir`` keep the result and add its data docs page."""
    with gx_session(docs_dir) as session:
        return session.validate(frame, suite)


def _run_stored(checkpoint: Any, frame: pd.DataFrame) -> tuple[Any, Any]:
    """``frame`` validated by the checkpoint's validation definition, the result stored as the checkpoint's run would
    store it (with its checkpoint id); returns (the result's identifier, the result). The checkpoint was read from its
    store or added to it in this session: ``Checkpoint.run`` would read it back from the store and compare the two,
    then the validation definition and suite, which ``ValidationDefinition.run`` compares again (~15 % of a session
    of small validations). The checkpoint has no actions, and its run's other steps do nothing outside GX Cloud."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    [definition] = checkpoint.validation_definitions
    run_id = RunIdentifier(run_time=dt.datetime.now(dt.timezone.utc))
    result = definition.run(checkpoint_id=checkpoint.id, batch_parameters={"dataframe": frame},
                            result_format=checkpoint.result_format, run_id=run_id)
    suite_id = ExpectationSuiteIdentifier(name=definition.suite.name)
    ident = ValidationResultIdentifier(expectation_suite_identifier=suite_id, run_id=run_id,
                                       batch_identifier=result.batch_id)
    return ident, result


def _validate_unstored(checkpoint: Any, frame: pd.DataFrame) -> Any:
    """``frame`` validated by the checkpoint's suite with its result format, the result not stored."""
    from great_expectations.validator.v1_validator import Validator

    definition = checkpoint.validation_definitions[0]
    validator = Validator(batch_definition=definition.batch_definition, result_format=checkpoint.result_format,
                          batch_parameters={"dataframe": frame})
    return validator.validate_expectation_suite(definition.suite)


def _find_examples(frame: pd.DataFrame, suite_result: Any, examples: dict[int, str]) -> None:
    """For each rule with failing rows in ``frame`` and no example yet, its first failing row (by rule index)."""
    for i, r in enumerate(suite_result.results):
        if i in examples or (r.success and not (r.result or {}).get("unexpected_count")):
            continue
        cfg = r.expectation_config
        example = _example_row(frame, cfg.type, cfg.kwargs, (r.result or {}).get("partial_unexpected_list"))
        if example is not None:
            examples[i] = example


def _summary(rows: int, suite: Suite, suite_result: Any, examples: dict[int, str],
             page: Path | None, chunks: int) -> ValidationSummary:
    outcomes = []
    for i, r in enumerate(suite_result.results):
        cfg = r.expectation_config
        res = r.result or {}
        observed = res.get("observed_value")
        meta = cfg.meta or {}
        outcomes.append(ExpectationOutcome(
            expectation=cfg.type,
            column=cfg.kwargs.get("column") or (",".join(cfg.kwargs["column_list"]) if cfg.kwargs.get("column_list")
                                                else None),
            severity=meta.get("severity", "error"),
            success=bool(r.success),
            unexpected_count=res.get("unexpected_count"),
            observed=None if observed is None else str(observed)[:200],
            why=str(meta.get("why") or ""),
            example=None if r.success else examples.get(i),
        ))
    return ValidationSummary(suite=suite.name, success=bool(suite_result.success), rows=rows,
                             outcomes=outcomes, docs_page=page, row_chunks=chunks)
