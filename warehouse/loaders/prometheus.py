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

SOURCE = "prometheus"
TARGET = "raw.prometheus_samples"
QUARANTINE = "quarantine.prometheus_samples"


class PrometheusFileError(ValueError):
    """An answer file that is not a successful query_range matrix."""


# every point of a (metric, day) partition lies in its day (others are quarantined): with this bound, statements on
# one partition skip the other days of the table by its zone maps
DAY_BOUNDS = "sample_time >= ?::timestamp and sample_time < ?::timestamp + interval 1 day"
_SERIES_KEY = "hash(list_sort(map_entries(cast(s.metric as map(varchar, varchar)))))"


def _stage(conn: duckdb.DuckDBPyConnection, metric: str, day: str, files: Sequence[Path], load_id: str,
           partition: str) -> StageCounts:
    # one answer is one JSON object: the reader's buffer must hold the largest file, and no more (DuckDB allocates
    # it up front, so a fixed 1 GB maximum breaks a 2 GB memory limit)
    largest = max((f.stat().st_size for f in files), default=0)
    max_object = max(16 << 20, int(largest * 1.1))
    try:
        # one row per series of every answer (an error answer keeps one row, with no series, to be reported)
        conn.execute(
            f"""
            create or replace temp table _prom_answers as
            select row_number() over () as k, *
            from (select filename, status, errorType, error, unnest(coalesce(data.result, [null])) as s
                  from read_json(?, format = 'auto', records = true, filename = true,
                                 maximum_object_size = {max_object},
                                 columns = {{'status': 'VARCHAR', 'errorType': 'VARCHAR', 'error': 'VARCHAR', 'data':
                                    'STRUCT(resultType VARCHAR, result STRUCT(metric JSON, "values" VARCHAR[][])[])'}}))
            """,
            [[str(f) for f in files]],
        )
    except duckdb.Error as exc:
        raise PrometheusFileError(f"cannot read query_range answers {[str(f) for f in files]}: {exc}") from exc
    # an error answer ({"status": "error", ...}) has no data: reported, or it would vanish
    bad = conn.execute("select filename, status, errorType, error from _prom_answers "
                       "where status is distinct from 'success' limit 1").fetchall()
    if bad:
        name, status, kind, error = bad[0]
        raise PrometheusFileError(f"query_range answer {name} is not a successful answer "
                                  f"(status {status}: {kind or 'no errorType'}: {error or 'no error message'})")
    # One row per series: labels parsed once here, not once per point.
    conn.execute(
        f"""
        create or replace temp table _prom_series as
        select k, filename, s.metric as labels, {_SERIES_KEY} as series_id,
               coalesce(json_extract_string(s.metric, '$.__name__'), ?) as name,
               coalesce(json_extract_string(s.metric, '$.Hostname'), json_extract_string(s.metric, '$.hostname'))
                   as hostname,
               json_extract_string(s.metric, '$.UUID') as gpu_uuid,
               json_extract_string(s.metric, '$.GPU_I_ID') as gpu_i_id,
               -- behind a ServiceMonitor the exporter's own pod is `pod` and the workload's `exported_pod`
               coalesce(json_extract_string(s.metric, '$.exported_pod'), json_extract_string(s.metric, '$.pod')) as pod,
               json_extract_string(s.metric, '$.instance') as instance
        from _prom_answers where s is not null
        """,
        [metric],
    )
    # A series listed twice (overlapping answers): its points are ranked so each (series, time) loads once.
    repeated_series = conn.execute("select count(*) > count(distinct series_id) from _prom_series").fetchone()[0]
    rank = ("row_number() over (partition by s.series_id, ts order by s.filename, s.k)" if repeated_series
            else "1")
    # The points are a view: good points stream into the table, the (rare) bad ones are found in a second pass.
    conn.execute(
        f"""
        create or replace temp view _prom_points as
        select p.*, s.series_id, s.name, s.filename, {rank} as _rank,
               case
                   when ts is null then 'timestamp unreadable: ' || coalesce(point[1], 'null')
                   when sample_time < '{day}'::timestamp or sample_time >= '{day}'::timestamp + interval 1 day
                       then 'point outside the day {day}'
                   when parsed is null then 'value not a number: ' || coalesce(point[2], 'null')
               end as _reason
        from (
            select k, point, ts, parsed, case when isnan(parsed) then null else parsed end as value,
                   make_timestamp(cast(ts * 1000000 as bigint)) as sample_time
            from (select k, point, try_cast(point[1] as double) as ts, try_cast(point[2] as double) as parsed
                  from (select k, unnest(s."values") as point from _prom_answers where s is not null))
        ) p
        join _prom_series s using (k)
        """
    )
    conn.execute(
        """
        insert into raw.prometheus_series
        select series_id, any_value(name), any_value(labels), any_value(hostname), any_value(gpu_uuid),
               any_value(gpu_i_id), any_value(pod), any_value(instance), ?
        from _prom_series
        where series_id not in (select series_id from raw.prometheus_series)
        group by series_id
        """,
        [load_id],
    )
    loaded = conn.execute(
        f"""
        insert into {TARGET}
        select sample_time, name, series_id, value, ?, filename, ?, now()
        from _prom_points where _reason is null and _rank = 1
        """,
        [partition, load_id],
    ).fetchone()[0]
    read = conn.execute("select coalesce(sum(len(s.\"values\")), 0) from _prom_answers").fetchone()[0]
    bad_n = 0
    if loaded < read:  # bad or repeated points: a second pass finds the bad ones
        bad_n = conn.execute(
            f"insert into {QUARANTINE} select ?, ?, p.filename, null, _reason, "
            "to_json({'labels': s.labels, 'point': point}), now() "
            "from _prom_points p join _prom_series s using (k) where _reason is not null", [partition, load_id],
        ).fetchone()[0]
    nan = conn.execute(f"select count(*) from {TARGET} where _partition = ? and value is null and {DAY_BOUNDS}",
                       [partition, day, day]).fetchone()[0]
    conn.execute("drop view _prom_points")
    for t in ("_prom_answers", "_prom_series"):
        conn.execute(f"drop table if exists {t}")
    return StageCounts(rows_read=read, rows_loaded=loaded, rows_quarantined=bad_n,
                       rows_skipped=read - loaded - bad_n, notes={"nan_points": nan, "answers": len(files)})


def load_query_range_day(conn: duckdb.DuckDBPyConnection, *, metric: str, day: str, files: Sequence[Path]) -> LoadResult:
    """Replace (``metric``, ``day`` 'YYYY-MM-DD') with the points of ``files`` (that day's query_range answers)."""
    day = date.fromisoformat(day).isoformat()  # it is written into the points view's SQL
    partition = f"{metric}/{day}"
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="_partition",
        partition_key=partition, delivery_id=None, input_files=[InputFile.of(f) for f in files],
        stage=lambda c, load_id: _stage(c, metric, day, files, load_id, partition),
        partition_bounds=(DAY_BOUNDS, [day, day]),
    )
