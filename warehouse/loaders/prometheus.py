"""Load Prometheus ``query_range`` answers of one metric and day into ``raw.prometheus_samples``, replacing that
(metric, day) partition. DuckDB reads the JSON files itself (no Python objects per point), so a day of many GPUs
loads with bounded memory. Values that are not numbers (other than NaN) and points outside the day are
quarantined with the reason; a series repeated across overlapping answers loads once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition

SOURCE = "prometheus"
TARGET = "raw.prometheus_samples"
QUARANTINE = "quarantine.prometheus_samples"


class PrometheusFileError(ValueError):
    """An answer file that is not a successful query_range matrix."""


def _stage(conn: duckdb.DuckDBPyConnection, metric: str, day: str, files: Sequence[Path], load_id: str,
           partition: str) -> StageCounts:
    try:
        conn.execute(
            """
            create or replace temp table _prom_points as
            with answers as (
                select filename, status, unnest(data.result) as s
                from read_json(?, format = 'auto', records = true, filename = true,
                               maximum_object_size = 1073741824,
                               columns = {'status': 'VARCHAR',
                                          'data': 'STRUCT(resultType VARCHAR, result STRUCT(metric JSON, "values" VARCHAR[][])[])'})
            ),
            points as (
                select filename, status, s.metric as labels, unnest(s."values") as p from answers
            )
            select filename, status, labels, p, try_cast(p[1] as double) as ts, p[2] as v
            from points
            """,
            [[str(f) for f in files]],
        )
    except duckdb.Error as exc:
        raise PrometheusFileError(f"cannot read query_range answers {[str(f) for f in files]}: {exc}") from exc
    bad = conn.execute("select distinct filename from _prom_points where status is distinct from 'success'").fetchall()
    if bad:
        raise PrometheusFileError(f"query_range answer {bad[0][0]} is not a successful answer")
    conn.execute(
        """
        create or replace temp table _prom_judged as
        select *,
               case when lower(v) = 'nan' then null else try_cast(v as double) end as value,
               make_timestamp(cast(ts * 1000000 as bigint)) as sample_time,
               json_extract_string(labels, '$.__name__') as name,
               row_number() over (partition by labels::varchar, ts order by filename) as _rank
        from _prom_points
        """
    )
    conn.execute(
        """
        create or replace temp table _prom_judged2 as
        select *, case
            when ts is null then 'timestamp unreadable: ' || coalesce(p[1], 'null')
            when strftime(sample_time, '%Y-%m-%d') <> ? then 'point outside the day ' || ?
            when v is null or (lower(v) <> 'nan' and value is null) then 'value not a number: ' || coalesce(v, 'null')
        end as _reason
        from _prom_judged
        """,
        [day, day],
    )
    conn.execute(
        f"""
        insert into {TARGET}
        select sample_time, coalesce(name, ?), json(labels)::json,
               coalesce(json_extract_string(labels, '$.Hostname'), json_extract_string(labels, '$.hostname')),
               json_extract_string(labels, '$.UUID'), json_extract_string(labels, '$.GPU_I_ID'),
               coalesce(json_extract_string(labels, '$.pod'), json_extract_string(labels, '$.exported_pod')),
               value, ?, filename, ?, now()
        from _prom_judged2 where _reason is null and _rank = 1
        """,
        [metric, partition, load_id],
    )
    conn.execute(
        f"insert into {QUARANTINE} select ?, ?, filename, null, _reason, to_json({{'labels': labels, 'point': p}}), now() "
        "from _prom_judged2 where _reason is not null", [partition, load_id],
    )
    read, bad_n, repeated = conn.execute(
        "select count(*), count(_reason), count(*) filter (_reason is null and _rank > 1) from _prom_judged2"
    ).fetchone()
    nan = conn.execute("select count(*) from _prom_judged2 where _reason is null and value is null").fetchone()[0]
    for t in ("_prom_points", "_prom_judged", "_prom_judged2"):
        conn.execute(f"drop table if exists {t}")
    return StageCounts(rows_read=read, rows_loaded=read - bad_n - repeated, rows_quarantined=bad_n,
                       rows_skipped=repeated, notes={"nan_points": nan, "answers": len(files)})


def load_query_range_day(conn: duckdb.DuckDBPyConnection, *, metric: str, day: str, files: Sequence[Path]) -> LoadResult:
    """Replace (``metric``, ``day`` 'YYYY-MM-DD') with the points of ``files`` (that day's query_range answers)."""
    partition = f"{metric}/{day}"
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="_partition",
        partition_key=partition, delivery_id=None, input_files=[InputFile.of(f) for f in files],
        stage=lambda c, load_id: _stage(c, metric, day, files, load_id, partition),
    )
