"""Load bookkeeping: replace one partition of a raw table (or a batch of them) atomically and record it in
``audit.loads``.

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
BatchStager = Callable[[duckdb.DuckDBPyConnection, dict[str, str]], dict[str, StageCounts]]


@dataclass(frozen=True)
class Partition:
    """One partition of a batch load: its key, the files it reads, its day (bounds ``sample_time``) and delivery."""

    key: str
    input_files: Sequence[InputFile]
    day: str | None = None
    delivery_id: str | None = None


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
    [result] = replace_partitions(
        conn, source=source, target_table=target_table, quarantine_table=quarantine_table,
        partition_column=partition_column,
        partitions=[Partition(partition_key, input_files, partition_day, delivery_id)],
        stage=lambda c, load_ids: {partition_key: stage(c, load_ids[partition_key])}, replace=replace)
    return result


def replace_partitions(
    conn: duckdb.DuckDBPyConnection,
    *,
    source: str,
    target_table: str,
    quarantine_table: str,
    partition_column: str,
    partitions: Sequence[Partition],
    stage: BatchStager,
    replace: bool = True,
) -> list[LoadResult]:
    """Replace several partitions of ``target_table`` in one transaction (as ``replace_partition`` does one): each
    keeps its own ``audit.loads`` row and counts, and they commit or roll back together. One commit for many small
    partitions (a month of metric-days) instead of one each: a DuckDB commit of new rows costs ~0.1 s whatever
    their number. ``stage(conn, {key: load_id})`` returns the counts of every key."""
    keys = [p.key for p in partitions]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{source}: a batch lists a partition twice: {keys}")
    load_ids = {p.key: str(uuid.uuid4()) for p in partitions}
    started = _now()
    conn.begin()  # every partition's 'running' row before the data's transaction: a crash leaves them to explain it
    for p in partitions:
        execute(conn, "common/load_started", {
            "load_id": load_ids[p.key], "partition_key": p.key, "source": source, "target_table": target_table,
            "delivery_id": p.delivery_id, "started_at": started,
            "input_files": json.dumps([asdict(f) for f in p.input_files])})
    conn.commit()
    try:
        conn.begin()
        replaced = dict.fromkeys(keys, 0)
        if replace:
            for p in partitions:
                where = {"target": target_table, "partition_column": partition_column, "day": p.day}
                params = {"partition_key": p.key, "day": p.day}
                replaced[p.key] = fetch_one(conn, "common/partition_rows", params, **where)[0]
                execute(conn, "common/partition_delete", params, **where)
                execute(conn, "common/quarantine_delete", params, quarantine=quarantine_table)
        staged = stage(conn, load_ids)
        finished = _now()
        for p in partitions:
            counts = staged[p.key]
            if counts.rows_read != counts.rows_loaded + counts.rows_quarantined + counts.rows_skipped:
                raise RuntimeError(
                    f"{source} {p.key}: rows read ({counts.rows_read}) != loaded ({counts.rows_loaded}) "
                    f"+ quarantined ({counts.rows_quarantined}) + already loaded ({counts.rows_skipped}); "
                    "refusing to commit a load that loses rows"
                )
            notes = {**counts.notes, **({"rows_already_loaded": counts.rows_skipped} if counts.rows_skipped else {})}
            execute(conn, "common/load_succeeded", {
                "load_id": load_ids[p.key], "rows_read": counts.rows_read, "rows_loaded": counts.rows_loaded,
                "rows_quarantined": counts.rows_quarantined, "rows_replaced": replaced[p.key], "finished_at": finished,
                "message": json.dumps(notes, default=str) if notes else None})
        conn.commit()
    except BaseException as exc:
        try:
            conn.rollback()
        except duckdb.Error:
            pass
        for load_id in load_ids.values():
            try:
                execute(conn, "common/load_failed", {"load_id": load_id, "finished_at": _now(),
                                                     "message": f"{type(exc).__name__}: {exc}"[:4000]})
            except duckdb.Error:
                pass
        raise
    return [
        LoadResult(
            load_id=load_ids[p.key],
            source=source,
            target_table=target_table,
            partition_key=p.key,
            delivery_id=p.delivery_id,
            input_files=tuple(p.input_files),
            rows_read=staged[p.key].rows_read,
            rows_loaded=staged[p.key].rows_loaded,
            rows_quarantined=staged[p.key].rows_quarantined,
            rows_replaced=replaced[p.key],
            notes={**staged[p.key].notes,
                   **({"rows_already_loaded": staged[p.key].rows_skipped} if not replace else {})},
        )
        for p in partitions
    ]

