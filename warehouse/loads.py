"""Load bookkeeping: replace one partition of a raw table atomically and record it in ``audit.loads``.

The pattern (create if missing, delete the window, insert, record, commit or roll back) makes every load idempotent:
re-running a partition replaces it, and a crash mid-load leaves the previous contents in place.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from warehouse.templates import execute, fetch_one


@dataclass(frozen=True)
class InputFile:
    """A file a load read, with its checksum so a re-delivery with different bytes is visible."""

    path: str
    sha256: str
    bytes: int

    @classmethod
    def of(cls, path: str | Path, *, display_path: str | None = None) -> "InputFile":
        digest = hashlib.sha256()
        size = 0
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        return cls(path=display_path or str(path), sha256=digest.hexdigest(), bytes=size)


def input_files(files: Sequence[Path], display_paths: Sequence[str] | None, what: str) -> list[InputFile]:
    """The files of one load (shown by ``display_paths``, e.g. their s3:// keys); none at all is an error."""
    if not files:
        raise ValueError(f"{what} lists no data files")
    names = display_paths or [str(f) for f in files]
    return [InputFile.of(f, display_path=n) for f, n in zip(files, names)]


@dataclass(frozen=True)
class StageCounts:
    """What a staging step did inside the load transaction."""

    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    notes: dict[str, object] = field(default_factory=dict)
    rows_skipped: int = 0          # incremental loads: rows already in the warehouse, read again and left alone


@dataclass(frozen=True)
class LoadResult:
    """The outcome of one partition load, as recorded in ``audit.loads``."""

    load_id: str
    source: str
    target_table: str
    partition_key: str
    delivery_id: str | None
    input_files: tuple[InputFile, ...]
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_replaced: int
    notes: dict[str, object]

    def as_metadata(self) -> dict[str, object]:
        """Plain values for run metadata (no secrets are ever part of a load result)."""
        return {
            "load_id": self.load_id,
            "partition_key": self.partition_key,
            "delivery_id": self.delivery_id,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "rows_replaced": self.rows_replaced,
            "input_files": [asdict(f) for f in self.input_files],
            **self.notes,
        }


def record_source_totals(conn: duckdb.DuckDBPyConnection, *, load_id: str, source: str, partition_key: str,
                         totals: str, params: dict[str, object] | None = None, per_file: bool = False) -> None:
    """Store what a load read: ``totals`` names the loader's template (extending ``common/source_totals``) whose
    select yields billing_period, provider_name, currency, rows_read, file_total, quarantined_total (and
    source_file when ``per_file``); runs inside the load's transaction, so it commits or rolls back with it."""
    execute(conn, totals, {"load_id": load_id, "source": source, "partition_key": partition_key, **(params or {})},
            per_file=per_file)


Stager = Callable[[duckdb.DuckDBPyConnection, str], StageCounts]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def replace_partition(
    conn: duckdb.DuckDBPyConnection,
    *,
    source: str,
    target_table: str,
    quarantine_table: str,
    partition_column: str,
    partition_key: str,
    delivery_id: str | None,
    input_files: Sequence[InputFile],
    stage: Stager,
    replace: bool = True,
    partition_day: str | None = None,
) -> LoadResult:
    """Replace ``partition_key`` of ``target_table`` with what ``stage`` inserts, in one transaction.

    ``stage(conn, load_id)`` runs inside the transaction after the old partition (and its quarantined rows) were
    deleted; it inserts the new rows and returns its counts. Any exception rolls everything back, marks the
    ``audit.loads`` row failed with the error, and is re-raised. With ``replace=False`` nothing is deleted: the
    stager appends (incremental sources) and reports rows it skipped as already loaded.
    ``partition_day`` ('YYYY-MM-DD') bounds the partition's ``sample_time`` to its day: added to the delete, it lets
    DuckDB skip the rest of a large table by its zone maps (a string partition key alone cannot: its statistics
    keep only a prefix), so a replace costs the partition, not the table.
    """
    load_id = str(uuid.uuid4())
    where = {"target": target_table, "partition_column": partition_column, "day": partition_day}
    keys = {"load_id": load_id, "partition_key": partition_key, "day": partition_day}
    execute(conn, "common/load_started", {**keys, "source": source, "target_table": target_table,
                                          "delivery_id": delivery_id, "started_at": _now(),
                                          "input_files": json.dumps([asdict(f) for f in input_files])})
    try:
        conn.begin()
        rows_replaced = 0
        if replace:
            rows_replaced = fetch_one(conn, "common/partition_rows", keys, **where)[0]
            execute(conn, "common/partition_delete", keys, **where)
            execute(conn, "common/quarantine_delete", keys, quarantine=quarantine_table)
        counts = stage(conn, load_id)
        if counts.rows_read != counts.rows_loaded + counts.rows_quarantined + counts.rows_skipped:
            raise RuntimeError(
                f"{source} {partition_key}: rows read ({counts.rows_read}) != loaded ({counts.rows_loaded}) "
                f"+ quarantined ({counts.rows_quarantined}) + already loaded ({counts.rows_skipped}); "
                "refusing to commit a load that loses rows"
            )
        notes = {**counts.notes, **({"rows_already_loaded": counts.rows_skipped} if counts.rows_skipped else {})}
        execute(conn, "common/load_succeeded", {
            "load_id": load_id, "rows_read": counts.rows_read, "rows_loaded": counts.rows_loaded,
            "rows_quarantined": counts.rows_quarantined, "rows_replaced": rows_replaced, "finished_at": _now(),
            "message": json.dumps(notes, default=str) if notes else None})
        conn.commit()
    except BaseException as exc:
        try:
            conn.rollback()
        except duckdb.Error:
            pass
        try:
            execute(conn, "common/load_failed", {"load_id": load_id, "finished_at": _now(),
                                                 "message": f"{type(exc).__name__}: {exc}"[:4000]})
        except duckdb.Error:
            pass
        raise
    return LoadResult(
        load_id=load_id,
        source=source,
        target_table=target_table,
        partition_key=partition_key,
        delivery_id=delivery_id,
        input_files=tuple(input_files),
        rows_read=counts.rows_read,
        rows_loaded=counts.rows_loaded,
        rows_quarantined=counts.rows_quarantined,
        rows_replaced=rows_replaced,
        notes={**counts.notes, **({"rows_already_loaded": counts.rows_skipped} if not replace else {})},
    )

