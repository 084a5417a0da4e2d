"""Append dcgm-exporter scrapes to ``raw.dcgm_samples`` / ``raw.dcgm_scrapes``.

A scrape file already loaded with the same bytes is skipped; a sample already stored (same host, GPU, MIG
instance, metric and time) is not stored twice. Lines the parser could not read and samples without a GPU UUID go
to ``quarantine.dcgm_samples`` with the reason. An empty scrape is recorded as a gap in ``raw.dcgm_scrapes``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition

SOURCE = "dcgm"
TARGET = "raw.dcgm_samples"
QUARANTINE = "quarantine.dcgm_samples"
_COLS = ("sample_time", "hostname", "gpu", "gpu_uuid", "model_name", "gpu_i_id", "gpu_i_profile", "pod",
         "namespace", "container", "metric", "value", "line_no")
_TYPES = {"sample_time": pa.timestamp("us"), "value": pa.float64(), "line_no": pa.int64()}


@dataclass
class ScrapeFile:
    """One saved scrape: where it is, whose it is, when it was taken, its rows and its unreadable lines."""

    path: Path
    host: str
    scraped_at: object
    rows: Sequence[Mapping[str, object]]
    bad_lines: Sequence[tuple[int, str, str]] = field(default_factory=list)  # (line no, line, reason)


def _stage(conn: duckdb.DuckDBPyConnection, scrapes: Sequence[ScrapeFile], inputs: Mapping[str, InputFile],
           load_id: str) -> StageCounts:
    known = dict(conn.execute("select path, arg_max(sha256, loaded_at) from audit.source_files where source = ? "
                              "group by path", [SOURCE]).fetchall())
    todo = [s for s in scrapes if known.get(str(s.path)) != inputs[str(s.path)].sha256]
    if not todo:
        return StageCounts(0, 0, 0, notes={"files_unchanged_skipped": len(scrapes)})
    cols: dict[str, list[object]] = {c: [] for c in (*_COLS, "file")}
    for s in todo:
        for r in s.rows:
            for c in _COLS:
                cols[c].append(r.get(c))
            cols["file"].append(str(s.path))
    staged = pa.table({c: pa.array(v, _TYPES.get(c, pa.string())) for c, v in cols.items()})  # noqa: F841
    conn.execute(
        f"""
        create or replace temp table _dcgm_judged as
        select s.*, case when s.gpu_uuid is null then 'UUID label missing' end as _reason,
               exists (select 1 from {TARGET} t where t.sample_time = s.sample_time and t.gpu_uuid = s.gpu_uuid
                       and t.metric = s.metric and t.gpu_i_id is not distinct from s.gpu_i_id) as _present,
               row_number() over (partition by s.sample_time, s.gpu_uuid, s.gpu_i_id, s.metric
                                  order by s.file, s.line_no) as _rank
        from staged s
        """
    )
    conn.execute(
        f"insert into {TARGET} select sample_time, hostname, gpu, gpu_uuid, model_name, gpu_i_id, gpu_i_profile, pod, "
        "namespace, container, metric, value, file, line_no, ?, now() from _dcgm_judged "
        "where _reason is null and not _present and _rank = 1", [load_id],
    )
    conn.execute(
        f"insert into {QUARANTINE} select 'scrapes', ?, file, line_no, _reason, "
        "to_json({'metric': metric, 'hostname': hostname, 'gpu': gpu}), now() from _dcgm_judged where _reason is not null",
        [load_id],
    )
    bad = 0
    for s in todo:
        for line_no, line, reason in s.bad_lines:
            conn.execute(f"insert into {QUARANTINE} values ('scrapes', ?, ?, ?, ?, ?, now())",
                         [load_id, str(s.path), line_no, reason, json.dumps({"line": line})])
        bad += len(s.bad_lines)
        conn.execute("insert into raw.dcgm_scrapes values (?, ?, ?, ?, ?, ?, ?)",
                     [s.scraped_at, s.host, len(s.rows), len(s.bad_lines), "ok" if s.rows or s.bad_lines else "empty",
                      str(s.path), load_id])
        conn.execute("insert into audit.source_files values (?, ?, ?, ?, ?, now())",
                     [SOURCE, str(s.path), inputs[str(s.path)].sha256, load_id, len(s.rows)])
    read, invalid, skipped = conn.execute(
        "select count(*), count(_reason), count(*) filter (_reason is null and (_present or _rank > 1)) "
        "from _dcgm_judged").fetchone()
    conn.execute("drop table if exists _dcgm_judged")
    gaps = sum(1 for s in todo if not s.rows and not s.bad_lines)
    return StageCounts(rows_read=read + bad, rows_loaded=read - invalid - skipped, rows_quarantined=invalid + bad,
                       rows_skipped=skipped, notes={"files_read": len(todo), "empty_scrapes": gaps,
                                                    "files_unchanged_skipped": len(scrapes) - len(todo)})


def load_dcgm_scrapes(conn: duckdb.DuckDBPyConnection, scrapes: Sequence[ScrapeFile]) -> LoadResult:
    """Append the samples of the scrapes not loaded yet, in one transaction (each file is hashed once)."""
    inputs = {str(s.path): InputFile.of(s.path) for s in scrapes}
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="metric",
        partition_key="scrapes", delivery_id=None, input_files=list(inputs.values()),
        replace=False, stage=lambda c, load_id: _stage(c, scrapes, inputs, load_id),
    )
