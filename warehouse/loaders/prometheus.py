"""Load Prometheus ``query_range`` answers of one metric and day into ``raw.prometheus_samples`` (points) and
``raw.prometheus_series`` (labels, once per series), replacing that (metric, day) partition of points; several
partitions (a backfill's metric-days) load in one transaction and one pass of each statement. DuckDB reads the JSON
files itself (no Python objects per point), so a day of many GPUs loads with bounded memory. Values that are not
numbers (other than NaN) and points outside the day are quarantined with the reason; a series repeated across
overlapping answers loads once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

from warehouse.loads import InputFile, LoadResult, Partition, StageCounts, replace_partitions
from warehouse.templates import execute, fetch_one

SOURCE = "prometheus"
TARGET = "raw.prometheus_samples"
QUARANTINE = "quarantine.prometheus_samples"


class PrometheusFileError(ValueError):
    """An answer file that is not a successful query_range matrix."""


MAX_BATCH_BYTES = 8 << 20
"""The answer bytes one batch reads at most. Small (metric, day) partitions load together, in one transaction and one
pass of each statement: a month's backfill at a tenth of the bench's fleet is 310 partitions of 1.5 MB, each of
which paid ~0.13 s of commit and statements for ~73 k points. A large partition (a scale-1 metric-day is 15 MB,
737 k points) loads alone as before: batching it gained nothing and held two days' points in memory at once."""


_FILE_LISTS = ("paths", "file_parts", "file_metrics", "file_days", "file_keys", "file_load_ids")


def _stage(conn: duckdb.DuckDBPyConnection, items: Sequence[tuple[str, str, Sequence[Path]]],
           load_ids: dict[str, str]) -> dict[str, StageCounts]:
    keys = [_partition(metric, day) for metric, day, _ in items]
    # what each answer file belongs to, as lists in the order of `paths` (answers.sql takes them by position)
    per_file = [(str(f), part, metric, day, keys[part], load_ids[keys[part]])
                for part, (metric, day, files) in enumerate(items) for f in files]
    lists = {name: list(column) for name, column in zip(_FILE_LISTS, zip(*per_file))}
    paths = lists["paths"]
    # one answer is one JSON object: the reader's buffer must hold the largest file, and no more (DuckDB allocates
    # it up front, so a fixed 1 GB maximum breaks a 2 GB memory limit)
    largest = max((f.stat().st_size for _, _, files in items for f in files), default=0)
    max_object = max(16 << 20, int(largest * 1.1))
    try:
        execute(conn, "prometheus/answers", lists, max_object=max_object)
    except duckdb.Error as exc:
        raise PrometheusFileError(f"cannot read query_range answers {paths}: {exc}") from exc
    bad = execute(conn, "prometheus/failed_answers").fetchall()
    if bad:
        name, status, kind, error = bad[0]
        raise PrometheusFileError(f"query_range answer {name} is not a successful answer "
                                  f"(status {status}: {kind or 'no errorType'}: {error or 'no error message'})")
    unmatched = fetch_one(conn, "prometheus/unmatched_answers")
    if unmatched:
        raise RuntimeError(f"query_range answer {unmatched[0]} was read but matches none of the paths given")
    execute(conn, "prometheus/series")
    execute(conn, "prometheus/points")
    execute(conn, "prometheus/insert_series")
    repeated = fetch_one(conn, "prometheus/repeated_series")[0]
    execute(conn, "prometheus/insert_points", repeated_series=repeated)
    read = {part: counts for part, *counts in execute(conn, "prometheus/points_read").fetchall()}
    if any(n_bad for _, n_bad, _ in read.values()):
        execute(conn, "prometheus/quarantine_points")
    if repeated:  # a repeated series' points load once: what landed is counted where it landed
        days = [day for _, day, _ in items]
        landed = {key: (n, nan) for key, n, nan in execute(conn, "prometheus/points_loaded", {
            "load_ids": list(load_ids.values()), "first_day": min(days), "last_day": max(days)}).fetchall()}
    else:  # every good point loaded
        landed = {keys[part]: (n_read - n_bad, nan) for part, (n_read, n_bad, nan) in read.items()}
    execute(conn, "prometheus/drop_work")
    counts = {}
    for part, (key, (_, _, files)) in enumerate(zip(keys, items)):
        n_read, n_bad, _ = read.get(part, (0, 0, 0))
        n_loaded, nan = landed.get(key, (0, 0))
        counts[key] = StageCounts(rows_read=n_read, rows_loaded=n_loaded, rows_quarantined=n_bad,
                                  rows_skipped=n_read - n_loaded - n_bad,
                                  notes={"nan_points": nan, "answers": len(files)})
    return counts


def _partition(metric: str, day: str) -> str:
    return f"{metric}/{day}"


def _replace(conn: duckdb.DuckDBPyConnection, items: Sequence[tuple[str, str, Sequence[Path]]]) -> list[LoadResult]:
    items = [(metric, date.fromisoformat(day).isoformat(), files) for metric, day, files in items]  # real days
    return replace_partitions(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="_partition",
        partitions=[Partition(_partition(metric, day), [InputFile.of(f) for f in files], day=day)
                    for metric, day, files in items],
        stage=lambda c, load_ids: _stage(c, items, load_ids),
    )


def load_query_range_day(conn: duckdb.DuckDBPyConnection, *, metric: str, day: str, files: Sequence[Path]) -> LoadResult:
    """Replace (``metric``, ``day`` 'YYYY-MM-DD') with the points of ``files`` (that day's query_range answers)."""
    [result] = _replace(conn, [(metric, day, files)])
    return result


def load_query_range_days(conn: duckdb.DuckDBPyConnection, items: Sequence[tuple[str, str, Sequence[Path]]],
                          max_batch_bytes: int = MAX_BATCH_BYTES) -> list[LoadResult]:
    """Replace every (metric, day 'YYYY-MM-DD', answer files) of ``items``, in order, as ``load_query_range_day``
    does one: consecutive items load together up to ``max_batch_bytes`` of answers. A batch that fails is loaded
    again one partition at a time, so every valid partition before a bad one still lands and the bad one raises its
    own error (each attempt is in ``audit.loads``)."""
    results: list[LoadResult] = []
    for batch in _batches(items, max_batch_bytes):
        try:
            results += _replace(conn, batch)
        except Exception:
            if len(batch) == 1:
                raise
            for metric, day, files in batch:
                results.append(load_query_range_day(conn, metric=metric, day=day, files=files))
    return results


def _batches(items: Sequence[tuple[str, str, Sequence[Path]]], max_bytes: int) -> list[list]:
    """Consecutive items, each batch's answers at most ``max_bytes`` (an item larger than that alone); a partition
    or a file never twice in a batch (a file's rows belong to the partition that lists it)."""
    batches: list[list] = []
    size, keys, paths = 0, set(), set()
    for metric, day, files in items:
        item_bytes = sum(f.stat().st_size for f in files)
        key, item_paths = _partition(metric, day), {str(f) for f in files}
        if not batches or size + item_bytes > max_bytes or key in keys or item_paths & paths:
            batches.append([])
            size, keys, paths = 0, set(), set()
        batches[-1].append((metric, day, files))
        size += item_bytes
        keys.add(key)
        paths |= item_paths
    return batches
