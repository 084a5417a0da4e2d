"""Append GCP Cloud Billing export rows (NDJSON, Parquet or CSV files) to ``raw.gcp_billing_export``.

The export has no line-item id, and incremental reads overlap on purpose (late rows arrive with a newer
``export_time``), so a row is identified by the hash of its values: a row already loaded is skipped, a new one is
appended, a repeat inside one batch loads once. Lines that are not JSON, rows without a readable ``cost``,
``currency``, ``usage_start_time`` or ``invoice.month`` go to ``quarantine.gcp_billing_export`` with the reason.
CSV exports may flatten nested fields to dotted headers (``service.description``) and write repeated fields as
Python-style lists (``[{'key': 'a', 'value': 'b'}]``); both are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.templates import execute, fetch_one
from warehouse.loads import InputFile, LoadResult, StageCounts, input_files, record_source_totals, replace_partition

SOURCE = "gcp_billing"
TARGET = "raw.gcp_billing_export"
QUARANTINE = "quarantine.gcp_billing_export"

# target column -> (JSON path, type); the dotted form of the path is tried too (CSV flattening).
FIELDS: dict[str, tuple[str, str]] = {
    "billing_account_id": ("billing_account_id", "varchar"),
    "service_id": ("service.id", "varchar"),
    "service_description": ("service.description", "varchar"),
    "sku_id": ("sku.id", "varchar"),
    "sku_description": ("sku.description", "varchar"),
    "usage_start_time": ("usage_start_time", "timestamp"),
    "usage_end_time": ("usage_end_time", "timestamp"),
    "project_id": ("project.id", "varchar"),
    "project_number": ("project.number", "varchar"),
    "project_name": ("project.name", "varchar"),
    "project_labels": ("project.labels", "json"),
    "labels": ("labels", "json"),
    "system_labels": ("system_labels", "json"),
    "location_location": ("location.location", "varchar"),
    "location_country": ("location.country", "varchar"),
    "location_region": ("location.region", "varchar"),
    "location_zone": ("location.zone", "varchar"),
    "resource_name": ("resource.name", "varchar"),
    "resource_global_name": ("resource.global_name", "varchar"),
    "export_time": ("export_time", "timestamp"),
    "cost": ("cost", "decimal(38, 10)"),
    "currency": ("currency", "varchar"),
    "currency_conversion_rate": ("currency_conversion_rate", "double"),
    "usage_amount": ("usage.amount", "double"),
    "usage_unit": ("usage.unit", "varchar"),
    "usage_amount_in_pricing_units": ("usage.amount_in_pricing_units", "double"),
    "usage_pricing_unit": ("usage.pricing_unit", "varchar"),
    "credits": ("credits", "json"),
    "invoice_month": ("invoice.month", "varchar"),
    "cost_type": ("cost_type", "varchar"),
    "cost_at_list": ("cost_at_list", "decimal(38, 10)"),
    "adjustment_info": ("adjustment_info", "json"),
}


class GcpFileError(ValueError):
    """An export file cannot be read (empty, corrupt compression, unknown format)."""


def _read_file(conn: duckdb.DuckDBPyConnection, path: Path, i: int, display: str
               ) -> tuple[dict[str, object], list[tuple[int, str]]]:
    """How one file enters the stage (``gcp_billing/stage``: its table, whether it is lines of JSON or columns to
    pack, its display path) and the lines the reader rejected (invalid UTF-8) as (line number, reason)."""
    if path.stat().st_size == 0:
        raise GcpFileError(f"GCP billing export file {path} is empty (0 bytes)")
    name, table = path.name, f"_gcp_file_{i}"
    try:
        if name.endswith((".json", ".ndjson", ".jsonl", ".json.gz", ".ndjson.gz", ".jsonl.gz")):
            execute(conn, "gcp_billing/drop_rejects")
            execute(conn, "gcp_billing/read_ndjson", {"path": str(path)}, table=table)
            rejects = [(line, f"unreadable line {line}: {kind} ({msg})")
                       for line, kind, msg in execute(conn, "gcp_billing/reader_rejects").fetchall()]
            return {"table": table, "lines": True, "columns": [], "display": display, "flat": False}, rejects
        if name.endswith(".parquet"):
            execute(conn, "gcp_billing/read_parquet", {"path": str(path)}, table=table)
        elif name.endswith((".csv", ".csv.gz")):
            execute(conn, "gcp_billing/read_csv", {"path": str(path)}, table=table)
        else:
            raise GcpFileError(f"GCP billing export file {path}: unknown format (expected NDJSON, Parquet or CSV)")
        cols = [c for c, in execute(conn, "common/columns_of", table=table).fetchall()
                if c not in ("filename", "file_row_number")]
        flat = name.endswith((".csv", ".csv.gz"))  # CSV headers may be dotted: service.description
        return {"table": table, "lines": False, "columns": cols, "display": display, "flat": flat}, []
    except duckdb.Error as exc:
        raise GcpFileError(f"cannot read GCP billing export file {path}: {exc}") from exc


def _changed_files(conn: duckdb.DuckDBPyConnection, inputs: Sequence[InputFile]
                   ) -> tuple[list[InputFile], list[InputFile], list[InputFile]]:
    """(new, re-exported with other bytes, unchanged) among ``inputs``, from ``audit.source_files``."""
    known = dict(execute(conn, "common/source_files", {"source": SOURCE}).fetchall())
    # rows loaded from a path with no recorded checksum (a warehouse from before files were tracked) are replaced
    untracked = {p for p, in execute(conn, "gcp_billing/untracked_paths",
                                     {"paths": [f.path for f in inputs if f.path not in known]}).fetchall()}
    new = [f for f in inputs if f.path not in known and f.path not in untracked]
    changed = [f for f in inputs if (f.path in known and known[f.path] != f.sha256) or f.path in untracked]
    unchanged = [f for f in inputs if known.get(f.path) == f.sha256]
    return new, changed, unchanged


def _forget(conn: duckdb.DuckDBPyConnection, paths: Sequence[str]) -> int:
    """Delete what earlier versions of these files loaded (rows, quarantined rows, totals); return rows deleted."""
    if not paths:
        return 0
    params = {"paths": list(paths), "source": SOURCE}
    deleted = fetch_one(conn, "gcp_billing/forget_count", params)[0]
    for step in ("forget_rows", "forget_quarantine", "forget_totals"):
        execute(conn, f"gcp_billing/{step}", params)
    return deleted


def _stage(conn: duckdb.DuckDBPyConnection, inputs: Sequence[InputFile], local: dict[str, Path], load_id: str,
           partition: str) -> StageCounts:
    new, changed, unchanged = _changed_files(conn, inputs)
    replaced_rows = _forget(conn, [f.path for f in changed])
    to_read = [*new, *changed]
    notes: dict[str, object] = {"files_read": len(to_read), "files_unchanged_skipped": len(unchanged)}
    if changed:
        notes["files_reexported"] = [f.path for f in changed]
        notes["rows_of_earlier_versions_replaced"] = replaced_rows
    if not to_read:
        return StageCounts(rows_read=0, rows_loaded=0, rows_quarantined=0, notes=notes)
    files = [local[f.path] for f in to_read]
    staged = []
    rejected = 0
    for i, f in enumerate(files):
        file, rejects = _read_file(conn, f, i, to_read[i].path)
        staged.append(file)
        for line, reason in rejects:
            execute(conn, "common/quarantine_line", {
                "partition_key": partition, "load_id": load_id, "source_file": to_read[i].path, "line": line,
                "reason": reason, "record": None}, quarantine=QUARANTINE)
        rejected += len(rejects)
    fields = [{"column": c, "path": path, "type": dtype} for c, (path, dtype) in FIELDS.items()]
    params = {"load_id": load_id, "partition_key": partition, "source": SOURCE}
    execute(conn, "gcp_billing/stage", files=staged)
    execute(conn, "gcp_billing/typed", fields=fields)
    execute(conn, "gcp_billing/judged", fields=fields)
    execute(conn, "gcp_billing/repeats")
    execute(conn, "gcp_billing/insert_rows", params, fields=fields)
    rows, bad, present = fetch_one(conn, "gcp_billing/counts")
    if bad:  # it reads the stage again for the quarantined rows' lines: only when there are some
        execute(conn, "gcp_billing/quarantine_rows", params)
    record_source_totals(conn, load_id=load_id, source=SOURCE, partition_key=partition,
                         totals="gcp_billing/source_totals", per_file=True)
    for f in to_read:
        execute(conn, "gcp_billing/file_recorded", {**params, "path": f.path, "sha256": f.sha256})
    execute(conn, "gcp_billing/drop_stage")
    execute(conn, "common/drop_tables", tables=["_gcp_judged",
                                                "_gcp_rejects", "_gcp_rejects_scan", *(f["table"] for f in staged)])
    return StageCounts(rows_read=rows + rejected, rows_loaded=rows - bad - present, rows_quarantined=bad + rejected,
                       rows_skipped=present, notes=notes)


def load_gcp_export_files(
    conn: duckdb.DuckDBPyConnection,
    *,
    table_name: str,
    files: Sequence[Path],
    delivery_id: str | None = None,
    display_paths: Sequence[str] | None = None,
) -> LoadResult:
    """Append the rows of ``files`` that are not yet loaded; ``table_name`` names the export (audit partition).

    A file already loaded with the same bytes is skipped without reading it; a file loaded before with other bytes
    (re-exported) first removes what its earlier version loaded. Within the files read, a row already in the
    warehouse (from another file) is skipped and a row repeated in this batch loads once.
    """
    inputs = input_files(files, display_paths, f"the GCP billing export {table_name}")
    local = {i.path: Path(f) for i, f in zip(inputs, files)}
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="_billing_period",
        partition_key=table_name, delivery_id=delivery_id, input_files=inputs, replace=False,
        stage=lambda c, load_id: _stage(c, inputs, local, load_id, table_name),
    )


def watermark(conn: duckdb.DuckDBPyConnection) -> object | None:
    """The newest ``export_time`` loaded so far (incremental reads start at it minus the overlap)."""
    return fetch_one(conn, "gcp_billing/watermark")[0]
