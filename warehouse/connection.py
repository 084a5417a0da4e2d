"""Connections to the warehouse file: the only place that calls ``duckdb.connect``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

LOCK_MARKERS: tuple[str, ...] = ("could not set lock", "conflicting lock")


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file (DuckDB allows one writing process per file)."""


def is_lock_error(exc: BaseException) -> bool:
    """True when ``exc`` is DuckDB refusing the file because another process holds it."""
    return isinstance(exc, duckdb.IOException) and any(m in str(exc).lower() for m in LOCK_MARKERS)


def connect(
    path: str | Path,
    *,
    read_only: bool = False,
    config: dict[str, str] | None = None,
    wait_s: float = 0.0,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file, retrying for up to ``wait_s`` seconds while another process holds it.

    Raises :class:`WarehouseLockedError` with a message naming the file when the lock is not released in time.
    DuckDB's progress bar is off (it would write into a run's stdout, or into ``--json`` output).
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise FileNotFoundError(f"warehouse file {path} does not exist yet: run `infraledger demo` or a materialization first")
    deadline = time.monotonic() + wait_s
    delay = 0.1
    while True:
        try:
            settings = dict(config or {})
            lock = str(settings.pop("lock_configuration", "false")).lower() == "true"
            conn = duckdb.connect(str(path), read_only=read_only, config=settings)
            conn.execute("set enable_progress_bar = false")  # a connection setting, not a database one
            if lock:
                conn.execute("set lock_configuration = true")
            return conn
        except duckdb.IOException as exc:
            if not is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(
                    f"warehouse {path} is locked by another process (a run is writing to it; DuckDB allows one "
                    f"writer per file and no readers beside it). Try again when the run finishes."
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


DEFAULT_MEMORY_LIMIT = "2GB"
# DuckDB folds its write-ahead log into the file every 16 MB of log by default: a loader that commits many small
# partitions (a month of Prometheus answers is 744 (metric, day) commits) checkpointed every few commits, 40 % of
# its time. The log still reaches the disk at every commit (a crash loses nothing), and closing the writer, which
# every step does, checkpoints it.
CHECKPOINT_THRESHOLD = "256MB"


def writer_settings(memory_limit: str | None = DEFAULT_MEMORY_LIMIT) -> dict[str, str]:
    """The DuckDB settings of a writing connection (``writer``, and the bench's loader steps)."""
    return {"checkpoint_threshold": CHECKPOINT_THRESHOLD, **({"memory_limit": memory_limit} if memory_limit else {})}


@contextmanager
def writer(path: str | Path, *, wait_s: float = 60.0,
           memory_limit: str | None = DEFAULT_MEMORY_LIMIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection that is always closed, so dbt and other steps can open the file next.

    ``memory_limit`` bounds DuckDB's memory (it spills to ``<file>.tmp`` beyond it); None = DuckDB's default, 80 %
    of the machine. A 2-million-row CUR month peaks at 7.2 GB RSS without it and 2.1 GB with 2GB, 15 % slower.
    The write-ahead log is folded into the file at ``CHECKPOINT_THRESHOLD`` and when the connection closes.
    """
    conn = connect(path, read_only=False, wait_s=wait_s, config=writer_settings(memory_limit))
    try:
        yield conn
    finally:
        conn.close()
