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
                         select_sql: str, params: Sequence[object] = (), per_file: bool = False) -> None:
    """Store what a load read (``select_sql`` yields billing_period, provider_name, currency, rows_read,
    file_total, quarantined_total, and source_file when ``per_file``); runs inside the load's transaction, so it
    commits or rolls back with it."""
    conn.execute(
        "insert into audit.source_totals (load_id, source, partition_key, billing_period, provider_name, currency, "
        "rows_read, file_total, quarantined_total, source_file) "
        f"select ?, ?, ?, *{'' if per_file else ', null'} from ({select_sql})",
        [load_id, source, partition_key, *params],
    )


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
    partition_bounds: tuple[str, Sequence[object]] | None = None,
) -> LoadResult:
    """Replace ``partition_key`` of ``target_table`` with what ``stage`` inserts, in one transaction.

    ``stage(conn, load_id)`` runs inside the transaction after the old partition (and its quarantined rows) were
    deleted; it inserts the new rows and returns its counts. Any exception rolls everything back, marks the
    ``audit.loads`` row failed with the error, and is re-raised. With ``replace=False`` nothing is deleted: the
    stager appends (incremental sources) and reports rows it skipped as already loaded.
    ``partition_bounds`` = (SQL predicate, parameters) that every row of the partition satisfies, such as its day's
    time range: added to the delete, it lets DuckDB skip the rest of a large table by its zone maps (a string
    partition key alone cannot: its statistics keep only a prefix), so a replace costs the partition, not the table.
    """
    load_id = str(uuid.uuid4())
    files_json = json.dumps([asdict(f) for f in input_files])
    conn.execute(
        "insert into audit.loads (load_id, source, target_table, partition_key, delivery_id, input_files, "
        "started_at, status) values (?, ?, ?, ?, ?, ?, ?, 'running')",
        [load_id, source, target_table, partition_key, delivery_id, files_json, _now()],
    )
    try:
        conn.execute("begin transaction")
        rows_replaced = 0
        if replace:
            bound_sql, bound_params = partition_bounds or ("true", ())
            where = f"{partition_column} = ? and {bound_sql}"
            rows_replaced = conn.execute(f"select count(*) from {target_table} where {where}",
                                         [partition_key, *bound_params]).fetchone()[0]
            conn.execute(f"delete from {target_table} where {where}", [partition_key, *bound_params])
            conn.execute(f"delete from {quarantine_table} where partition_key = ?", [partition_key])
        counts = stage(conn, load_id)
        if counts.rows_read != counts.rows_loaded + counts.rows_quarantined + counts.rows_skipped:
            raise RuntimeError(
                f"{source} {partition_key}: rows read ({counts.rows_read}) != loaded ({counts.rows_loaded}) "
                f"+ quarantined ({counts.rows_quarantined}) + already loaded ({counts.rows_skipped}); "
                "refusing to commit a load that loses rows"
            )
        conn.execute(
            "update audit.loads set rows_read = ?, rows_loaded = ?, rows_quarantined = ?, rows_replaced = ?, "
            "finished_at = ?, status = 'success', message = ? where load_id = ?",
            [
                counts.rows_read,
                counts.rows_loaded,
                counts.rows_quarantined,
                rows_replaced,
                _now(),
                json.dumps({**counts.notes, **({"rows_already_loaded": counts.rows_skipped} if counts.rows_skipped
                                                else {})}, default=str) if counts.notes or counts.rows_skipped else None,
                load_id,
            ],
        )
        conn.execute("commit")
    except BaseException as exc:
        try:
            conn.execute("rollback")
        except duckdb.Error:
            pass
        try:
            conn.execute(
                "update audit.loads set finished_at = ?, status = 'failed', message = ? where load_id = ?",
                [_now(), f"{type(exc).__name__}: {exc}"[:4000], load_id],
            )
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

