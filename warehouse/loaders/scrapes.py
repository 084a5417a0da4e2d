"""Append saved ``/metrics`` scrapes to a raw samples table and its scrape log; shared by every scraped source.

A scrape file already loaded with the same bytes is skipped; a sample already stored (same identity and time) is
not stored twice. Lines the parser could not read, and samples the spec rejects, go to the source's quarantine table
with the reason. An empty scrape is recorded as a gap in the scrape log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition


@dataclass(frozen=True)
class ScrapeSpec:
    """Where a scraped source lands and how its samples are identified and judged."""

    source: str                     # audit name
    target: str                     # raw samples table
    scrape_log: str                 # raw scrape log table (scraped_at, host, samples, bad_lines, status, file, load)
    quarantine: str
    columns: tuple[str, ...]        # row columns, in the target's order (before _source_file)
    identity: tuple[str, ...]       # with sample_time, what makes a sample unique
    reject_sql: str                 # SQL expression over a staged row: the reason to quarantine it, or NULL
    types: Mapping[str, pa.DataType] = field(default_factory=dict)


@dataclass
class ScrapeFile:
    """One saved scrape: where it is, whose it is, when it was taken, its rows and its unreadable lines."""

    path: Path
    host: str
    scraped_at: object
    rows: Sequence[Mapping[str, object]]
    bad_lines: Sequence[tuple[int, str, str]] = field(default_factory=list)  # (line no, line, reason)


def _stage(conn: duckdb.DuckDBPyConnection, spec: ScrapeSpec, scrapes: Sequence[ScrapeFile],
           inputs: Mapping[str, InputFile], load_id: str) -> StageCounts:
    known = dict(conn.execute("select path, arg_max(sha256, loaded_at) from audit.source_files where source = ? "
                              "group by path", [spec.source]).fetchall())
    todo = [s for s in scrapes if known.get(str(s.path)) != inputs[str(s.path)].sha256]
    if not todo:
        return StageCounts(0, 0, 0, notes={"files_unchanged_skipped": len(scrapes)})
    cols: dict[str, list[object]] = {c: [] for c in (*spec.columns, "line_no", "file")}
    for s in todo:
        for r in s.rows:
            for c in (*spec.columns, "line_no"):
                cols[c].append(r.get(c))
            cols["file"].append(str(s.path))
    types = {"sample_time": pa.timestamp("us"), "value": pa.float64(), "line_no": pa.int64(), **spec.types}
    staged = pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in cols.items()})  # noqa: F841
    same = " and ".join(["t.sample_time = s.sample_time"] + [f"t.{c} is not distinct from s.{c}" for c in spec.identity])
    conn.execute(
        f"""
        create or replace temp table _scrape_judged as
        select s.*, {spec.reject_sql} as _reason,
               exists (select 1 from {spec.target} t where {same}) as _present,
               row_number() over (partition by s.sample_time, {', '.join('s.' + c for c in spec.identity)}
                                  order by s.file, s.line_no) as _rank
        from staged s
        """
    )
    conn.execute(
        f"insert into {spec.target} select {', '.join(spec.columns)}, file, line_no, ?, now() from _scrape_judged "
        "where _reason is null and not _present and _rank = 1", [load_id],
    )
    conn.execute(
        f"insert into {spec.quarantine} select 'scrapes', ?, file, line_no, _reason, "
        "to_json({'metric': metric}), now() from _scrape_judged where _reason is not null", [load_id],
    )
    bad = 0
    for s in todo:
        for line_no, line, reason in s.bad_lines:
            conn.execute(f"insert into {spec.quarantine} values ('scrapes', ?, ?, ?, ?, ?, now())",
                         [load_id, str(s.path), line_no, reason, json.dumps({"line": line})])
        bad += len(s.bad_lines)
        conn.execute(f"insert into {spec.scrape_log} values (?, ?, ?, ?, ?, ?, ?)",
                     [s.scraped_at, s.host, len(s.rows), len(s.bad_lines), "ok" if s.rows or s.bad_lines else "empty",
                      str(s.path), load_id])
        conn.execute("insert into audit.source_files values (?, ?, ?, ?, ?, now())",
                     [spec.source, str(s.path), inputs[str(s.path)].sha256, load_id, len(s.rows)])
    read, invalid, skipped = conn.execute(
        "select count(*), count(_reason), count(*) filter (_reason is null and (_present or _rank > 1)) "
        "from _scrape_judged").fetchone()
    conn.execute("drop table if exists _scrape_judged")
    gaps = sum(1 for s in todo if not s.rows and not s.bad_lines)
    return StageCounts(rows_read=read + bad, rows_loaded=read - invalid - skipped, rows_quarantined=invalid + bad,
                       rows_skipped=skipped, notes={"files_read": len(todo), "empty_scrapes": gaps,
                                                    "files_unchanged_skipped": len(scrapes) - len(todo)})


def load_scrapes(conn: duckdb.DuckDBPyConnection, spec: ScrapeSpec, scrapes: Sequence[ScrapeFile]) -> LoadResult:
    """Append the samples of the scrapes not loaded yet, in one transaction (each file is hashed once)."""
    inputs = {str(s.path): InputFile.of(s.path) for s in scrapes}
    return replace_partition(
        conn, source=spec.source, target_table=spec.target, quarantine_table=spec.quarantine,
        partition_column="metric", partition_key="scrapes", delivery_id=None, input_files=list(inputs.values()),
        replace=False, stage=lambda c, load_id: _stage(c, spec, scrapes, inputs, load_id),
    )
