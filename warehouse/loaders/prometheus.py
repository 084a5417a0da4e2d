"""Load Prometheus ``query_range`` answers of one metric and day into ``raw.prometheus_samples`` (points) and
``raw.prometheus_series`` (labels, once per series), replacing that (metric, day) partition of points. DuckDB reads
the JSON files itself (no Python objects per point), so a day of many GPUs loads with bounded memory. Values that are not numbers (other than NaN) and points outside the day are
quarantined with the reason; a series repeated across overlapping answers loads once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition
from warehouse.templates import execute, fetch_one

SOURCE = "prometheus"
TARGET = "raw.prometheus_samples"
QUARANTINE = "quarantine.prometheus_samples"


class PrometheusFileError(ValueError):
    """An answer file that is not a successful query_range matrix."""


def _stage(conn: duckdb.DuckDBPyConnection, metric: str, day: str, files: Sequence[Path], load_id: str,
           partition: str) -> StageCounts:
    # one answer is one JSON object: the reader's buffer must hold the largest file, and no more (DuckDB allocates
    # it up front, so a fixed 1 GB maximum breaks a 2 GB memory limit)
    largest = max((f.stat().st_size for f in files), default=0)
    max_object = max(16 << 20, int(largest * 1.1))
    params = {"metric": metric, "day": day, "partition_key": partition, "load_id": load_id,
              "paths": [str(f) for f in files]}
    try:
        execute(conn, "prometheus/answers", params, max_object=max_object)
    except duckdb.Error as exc:
        raise PrometheusFileError(f"cannot read query_range answers {[str(f) for f in files]}: {exc}") from exc
    bad = execute(conn, "prometheus/failed_answers").fetchall()
    if bad:
        name, status, kind, error = bad[0]
        raise PrometheusFileError(f"query_range answer {name} is not a successful answer "
                                  f"(status {status}: {kind or 'no errorType'}: {error or 'no error message'})")
    execute(conn, "prometheus/series", params)
    execute(conn, "prometheus/points", day=day)
    execute(conn, "prometheus/insert_series", params)
    loaded = fetch_one(conn, "prometheus/insert_points", params,
                       repeated_series=fetch_one(conn, "prometheus/repeated_series")[0])[0]
    read = fetch_one(conn, "prometheus/points_read")[0]
    bad_n = 0
    if loaded < read:  # bad or repeated points: a second pass finds the bad ones
        bad_n = fetch_one(conn, "prometheus/quarantine_points", params)[0]
    nan = fetch_one(conn, "prometheus/nan_points", params)[0]
    execute(conn, "prometheus/drop_work")
    return StageCounts(rows_read=read, rows_loaded=loaded, rows_quarantined=bad_n,
                       rows_skipped=read - loaded - bad_n, notes={"nan_points": nan, "answers": len(files)})


def load_query_range_day(conn: duckdb.DuckDBPyConnection, *, metric: str, day: str, files: Sequence[Path]) -> LoadResult:
    """Replace (``metric``, ``day`` 'YYYY-MM-DD') with the points of ``files`` (that day's query_range answers)."""
    day = date.fromisoformat(day).isoformat()  # a real day: it bounds the partition
    partition = f"{metric}/{day}"
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="_partition",
        partition_key=partition, delivery_id=None, input_files=[InputFile.of(f) for f in files],
        stage=lambda c, load_id: _stage(c, metric, day, files, load_id, partition),
        partition_day=day,
    )
