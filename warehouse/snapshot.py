"""A read snapshot of the warehouse, published after each successful run, so readers get answers while a run
writes (DuckDB lets no other process open a file that a writer holds, not even read-only).

``publish`` takes the write lock (so nothing changes underneath), checkpoints (the WAL folded into the file), copies
the file beside it and swaps the copy in atomically: a reader of the snapshot sees the previous or the new one,
never half of each. Readers open the snapshot read-only; it is as fresh as the last successful run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from warehouse.connection import writer


def snapshot_path(warehouse: str | Path) -> Path:
    """``warehouse.duckdb`` -> ``warehouse.read.duckdb`` beside it."""
    p = Path(warehouse)
    return p.with_name(f"{p.stem}.read{p.suffix or '.duckdb'}")


def publish(warehouse: str | Path, *, wait_s: float = 60.0) -> Path:
    """Copy a consistent image of the warehouse to its snapshot path; returns that path."""
    src, dest = Path(warehouse), snapshot_path(warehouse)
    tmp = dest.with_name(dest.name + ".part")
    with writer(src, wait_s=wait_s) as conn:
        conn.execute("checkpoint")
        shutil.copyfile(src, tmp)  # under the write lock: no writer can change the file meanwhile
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    os.replace(tmp, dest)
    return dest


def published_at(warehouse: str | Path) -> dt.datetime | None:
    """When the snapshot was last published (UTC), or None if there is none."""
    p = snapshot_path(warehouse)
    return dt.datetime.fromtimestamp(p.stat().st_mtime, dt.timezone.utc) if p.exists() else None
