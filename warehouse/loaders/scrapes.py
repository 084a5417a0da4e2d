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
from warehouse.templates import execute, fetch_one


@dataclass(frozen=True)
class ScrapeSpec:
    """Where a scraped source lands and how its samples are identified and judged."""

    source: str                     # audit name
    target: str                     # raw samples table
    scrape_log: str                 # raw scrape log table (scraped_at, host, samples, bad_lines, status, file, load)
    quarantine: str
    columns: tuple[str, ...]        # row columns, in the target's order (before _source_file)
    identity: tuple[str, ...]       # with sample_time, what makes a sample unique
    required: tuple["RequiredLabel", ...]  # a sample without one of these is quarantined with the reason
    types: Mapping[str, pa.DataType] = field(default_factory=dict)


@dataclass(frozen=True)
class RequiredLabel:
    """A label every sample must have; without it (NULL, or empty when ``empty_too``) it goes to quarantine."""

    column: str
    reason: str
    empty_too: bool = False


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
    known = dict(execute(conn, "common/source_files", {"source": spec.source}).fetchall())
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
    conn.register("_scrape_staged", pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in cols.items()}))
    where = {"target": spec.target, "quarantine": spec.quarantine, "scrape_log": spec.scrape_log}
    execute(conn, "scrapes/judged", target=spec.target, identity=spec.identity,
            required=[vars(r) for r in spec.required])
    execute(conn, "scrapes/insert_samples", {"load_id": load_id}, columns=spec.columns, **where)
    execute(conn, "scrapes/quarantine_samples", {"load_id": load_id}, **where)
    bad = 0
    for s in todo:
        for line_no, line, reason in s.bad_lines:
            execute(conn, "common/quarantine_line", {
                "partition_key": "scrapes", "load_id": load_id, "source_file": str(s.path), "line": line_no,
                "reason": reason, "record": json.dumps({"line": line})}, quarantine=spec.quarantine)
        bad += len(s.bad_lines)
        execute(conn, "scrapes/scrape_logged", {
            "scraped_at": s.scraped_at, "host": s.host, "samples": len(s.rows), "bad_lines": len(s.bad_lines),
            "status": "ok" if s.rows or s.bad_lines else "empty", "path": str(s.path), "load_id": load_id},
            scrape_log=spec.scrape_log)
        execute(conn, "common/source_file_recorded", {"source": spec.source, "path": str(s.path),
                                                      "sha256": inputs[str(s.path)].sha256, "load_id": load_id,
                                                      "rows": len(s.rows)})
    read, invalid, skipped = fetch_one(conn, "scrapes/counts")
    execute(conn, "common/drop_tables", tables=["_scrape_judged"])
    conn.unregister("_scrape_staged")
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
