"""What passes between the steps of a raw source: the run's slice, what was landed, what the load found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, Protocol


class Log(Protocol):
    """Where a step reports (Dagster's run log in the pipeline, ``logging`` elsewhere)."""

    def info(self, msg: str) -> Any: ...

    def warning(self, msg: str) -> Any: ...


class SourceUnavailable(Exception):
    """The source did not answer (every target unreachable, an API error): a retry may help."""


class SourceUnusable(Exception):
    """The source cannot be used as configured (no NVML and nothing else to read): a retry cannot help."""


@dataclass(frozen=True)
class Request:
    """The slice a run asks for: its partition key and UTC window, or neither for an unpartitioned source."""

    partition_key: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None

    @property
    def days(self) -> list[dt.date]:
        """The UTC days of the window, oldest first (empty without a window)."""
        if self.start is None or self.end is None:
            return []
        return [self.start.date() + dt.timedelta(days=n) for n in range((self.end - self.start).days)]

    @property
    def label(self) -> str:
        if self.start is None or self.end is None:
            return self.partition_key or "all"
        return f"{self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"


@dataclass
class Landed:
    """What the fetch step left for the loader (files or rows, by source), and the targets that did not answer."""

    items: Any = None
    unreachable: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class CheckFact:
    """The outcome of one source-specific load check (declared with the source)."""

    name: str
    passed: bool
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadFacts:
    """What a load did, summed over everything it loaded: the rows, the source's own figures, its check outcomes."""

    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_already_loaded: int = 0
    manifest_rows: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    checks: list[CheckFact] = field(default_factory=list)
    summary: str = ""
    table_rows: dict[str, int] = field(default_factory=dict)   # rows now in each table of ``also``

    def add(self, result: Any, *, describe: bool = False) -> None:
        """Add a ``warehouse.loads.LoadResult``'s row counts (and, with ``describe``, its facts as metadata)."""
        if describe:
            self.metadata.update(result_metadata(result))
        self.rows_read += result.rows_read
        self.rows_loaded += result.rows_loaded
        self.rows_quarantined += result.rows_quarantined
        self.rows_already_loaded += int(result.notes.get("rows_already_loaded", 0))


def utc_stamp() -> str:
    """A sortable UTC timestamp for a landing folder or file name."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")


def result_metadata(result: Any) -> dict[str, Any]:
    """A ``warehouse.loads.LoadResult`` as plain metadata: ids, row counts, files with checksums, the loader's notes."""
    return {
        "billing_period": result.partition_key, "delivery_id": result.delivery_id or "", "load_id": result.load_id,
        "rows_read": result.rows_read, "rows_loaded": result.rows_loaded, "rows_quarantined": result.rows_quarantined,
        "rows_replaced": result.rows_replaced,
        "input_files": [{"path": f.path, "sha256": f.sha256, "bytes": f.bytes} for f in result.input_files],
        **result.notes,
    }


@dataclass(frozen=True)
class SourceCheck:
    """A source-specific load check: its outcome comes with the load's facts (a ``CheckFact`` of the same name)."""

    name: str
    description: str
    blocking: bool = True
    warn: bool = False


@dataclass(frozen=True)
class RawSource:
    """A raw table and the steps that fill it (wired into an asset by ``pipelines/lib/raw_source.py``).

    ``plan(settings, request, watermark)`` says what to fetch (default: the request itself), ``fetch(settings, plan,
    log)`` lands it, ``load(conn, landed, request)`` loads the landed files and returns the facts;
    ``watermark(conn, settings, request)``, when given, reads what is stored already before planning. ``settings`` is
    the resource of the same name (the ``sources.<settings>`` section). The table's description and freshness come
    from its dbt source; ``description`` and ``freshness`` are only for a table dbt does not declare."""

    table: str
    settings: str
    group: str
    kinds: tuple[str, ...]
    fetch: Callable[[Any, Any, Log], Landed]
    load: Callable[[Any, Landed, Request], LoadFacts]
    plan: Callable[[Any, Request, Any], Any] | None = None
    watermark: Callable[[Any, Any, Request], Any] | None = None
    partitions: str | None = None             # "daily" or "billing_month"
    single_run_backfill: bool = False         # a backfill of many partitions runs as one fetch and one load
    checks: tuple[SourceCheck, ...] = ()
    reachability: bool = False                # scraped targets: a WARN check that every target answered
    retries: int = 2                          # a scraped source retries at its next scrape instead (0)
    retry_delay_s: int = 10
    after: tuple[str, ...] = ()               # raw tables that must be loaded first
    optional: bool = False                    # may be absent from the configuration (then it loads nothing)
    also: tuple[str, ...] = ()                # further raw tables the same load replaces (each its own asset)
    description: str | None = None
    freshness: str | None = None
