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


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text(path: str) -> str:
    """The field as text: nested JSON path first, then the dotted flat key (CSV)."""
    nested = "$." + path
    flat = '$."' + path + '"'
    return f"coalesce(json_extract_string(_j, '{nested}'), json_extract_string(_j, '{flat}'))"


def _typed(path: str, dtype: str) -> str:
    t = f"nullif(trim({_text(path)}), '')"
    if dtype == "timestamp":
        t = f"regexp_replace({t}, ' UTC$', '')"
        return (f"case when regexp_matches({t}, '^\\d+$') then make_timestamp(cast({t} as bigint)) "
                f"when regexp_matches({t}, '(Z|[+-]\\d{{2}}:?\\d{{2}})$') then try_cast({t} as timestamptz) at time zone 'UTC' "
                f"else try_cast({t} as timestamp) end")
    if dtype == "json":
        # Python-style lists from CSV flattening: single quotes and None/True/False.
        pyish = (f"regexp_replace(regexp_replace(replace({t}, '''', '\"'), '\\bNone\\b', 'null', 'g'), "
                 f"'\\b(True|False)\\b', 'true', 'g')")
        return f"case when json_valid({t}) then {t}::json when json_valid({pyish}) then {pyish}::json end"
    if dtype.startswith("decimal"):
        return f"coalesce(try_cast({t} as {dtype}), try_cast(try_cast({t} as double) as {dtype}))"
    return f"try_cast({t} as {dtype})"


def _read_file(conn: duckdb.DuckDBPyConnection, path: Path, i: int, display: str) -> tuple[str, list[tuple[int, str]]]:
    """A SELECT of (_j json text or NULL, _line raw text, filename = ``display``, file_row_number) for one file, and
    the lines the reader rejected (invalid UTF-8) as (line number, reason)."""
    if path.stat().st_size == 0:
        raise GcpFileError(f"GCP billing export file {path} is empty (0 bytes)")
    name = path.name
    try:
        if name.endswith((".json", ".ndjson", ".jsonl", ".json.gz", ".ndjson.gz", ".jsonl.gz")):
            conn.execute("drop table if exists _gcp_rejects; drop table if exists _gcp_rejects_scan")
            conn.execute(
                f"create or replace temp table _gcp_file_{i} as select column0 as _line, filename, "
                "cast(row_number() over () - 1 as bigint) as file_row_number from read_csv(?, columns = {'column0': 'varchar'}, "
                "header = false, delim = '\\x1f', quote = '', escape = '', filename = true, strict_mode = false, "
                "store_rejects = true, rejects_table = '_gcp_rejects', rejects_scan = '_gcp_rejects_scan')",
                [str(path)],
            )
            rejects = [(line, f"unreadable line {line}: {kind} ({msg})") for line, kind, msg in conn.execute(
                "select line, error_type::varchar, error_message from _gcp_rejects order by line").fetchall()]
            return (f"select case when json_valid(_line) then _line end as _j, _line, {_lit(display)} as filename, "
                    "file_row_number "
                    f"from _gcp_file_{i} where coalesce(trim(_line), '') <> ''"), rejects
        if name.endswith(".parquet"):
            conn.execute(
                f"create or replace temp table _gcp_file_{i} as select * from read_parquet(?, filename = true, "
                "file_row_number = true)", [str(path)],
            )
        elif name.endswith((".csv", ".csv.gz")):
            conn.execute(
                f"create or replace temp table _gcp_file_{i} as select * exclude (filename), filename, "
                "cast(row_number() over () - 1 as bigint) as file_row_number from read_csv(?, all_varchar = true, "
                "header = true, filename = true)", [str(path)],
            )
        else:
            raise GcpFileError(f"GCP billing export file {path}: unknown format (expected NDJSON, Parquet or CSV)")
        cols = [c for c, in conn.execute(f"select column_name from (describe _gcp_file_{i})").fetchall()
                if c not in ("filename", "file_row_number")]
        packed = "to_json(struct_pack(" + ", ".join(f"{_q(c)} := {_q(c)}" for c in cols) + "))"
        return (f"select {packed}::varchar as _j, {packed}::varchar as _line, {_lit(display)} as filename, file_row_number "
                f"from _gcp_file_{i}"), []
    except duckdb.Error as exc:
        raise GcpFileError(f"cannot read GCP billing export file {path}: {exc}") from exc


def _changed_files(conn: duckdb.DuckDBPyConnection, inputs: Sequence[InputFile]
                   ) -> tuple[list[InputFile], list[InputFile], list[InputFile]]:
    """(new, re-exported with other bytes, unchanged) among ``inputs``, from ``audit.source_files``."""
    known = dict(conn.execute(
        "select path, arg_max(sha256, loaded_at) from audit.source_files where source = ? group by path", [SOURCE]
    ).fetchall())
    # rows loaded from a path with no recorded checksum (a warehouse from before files were tracked) are replaced
    untracked = {p for p, in conn.execute(
        f"select distinct _source_file from {TARGET} where _source_file in (select unnest(?))",
        [[f.path for f in inputs if f.path not in known]]).fetchall()}
    new = [f for f in inputs if f.path not in known and f.path not in untracked]
    changed = [f for f in inputs if (f.path in known and known[f.path] != f.sha256) or f.path in untracked]
    unchanged = [f for f in inputs if known.get(f.path) == f.sha256]
    return new, changed, unchanged


def _forget(conn: duckdb.DuckDBPyConnection, paths: Sequence[str]) -> int:
    """Delete what earlier versions of these files loaded (rows, quarantined rows, totals); return rows deleted."""
    if not paths:
        return 0
    deleted = conn.execute(f"select count(*) from {TARGET} where _source_file in (select unnest(?))",
                           [list(paths)]).fetchone()[0]
    conn.execute(f"delete from {TARGET} where _source_file in (select unnest(?))", [list(paths)])
    conn.execute(f"delete from {QUARANTINE} where source_file in (select unnest(?))", [list(paths)])
    conn.execute("delete from audit.source_totals where source = ? and source_file in (select unnest(?))",
                 [SOURCE, list(paths)])
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
    selects = []
    rejected = 0
    for i, f in enumerate(files):
        sql, rejects = _read_file(conn, f, i, to_read[i].path)
        selects.append(sql)
        for line, reason in rejects:
            conn.execute(f"insert into {QUARANTINE} values (?, ?, ?, ?, ?, null, now())",
                         [partition, load_id, to_read[i].path, line, reason])
        rejected += len(rejects)
    conn.execute("create or replace temp table _gcp_stage as " + " union all ".join(f"({s})" for s in selects))
    typed = ", ".join(f"{_typed(path, dtype)} as {_q(col)}" for col, (path, dtype) in FIELDS.items())
    conn.execute(f"create or replace temp table _gcp_typed as select {typed}, _j, _line, filename, file_row_number "
                 "from _gcp_stage")
    # JSON fields are re-serialised (minified) so whitespace differences between sources do not change the hash
    hash_cols = ", ".join(
        f"coalesce(cast(json({_q(c)}) as varchar), '∅')" if dtype == "json" else f"coalesce(cast({_q(c)} as varchar), '∅')"
        for c, (_, dtype) in FIELDS.items())
    conn.execute(
        f"""
        create or replace temp table _gcp_judged as
        with h as (
            select *,
                   md5(concat_ws('|', {hash_cols})) as _row_hash,
                   coalesce(list_sum(list_transform(json_extract_string(credits, '$[*].amount'),
                                           lambda a: coalesce(try_cast(a as decimal(38, 10)),
                                                              cast(cast(a as double) as decimal(38, 10))))),
                            0) as credits_amount
            from _gcp_typed
        )
        select *,
               row_number() over (partition by _row_hash order by filename, file_row_number) as _dup_rank,
               case
                   when _j is null then 'line is not valid JSON'
                   when cost is null then 'cost missing or unreadable'
                   when currency is null then 'currency missing'
                   when usage_start_time is null then 'usage_start_time missing or unreadable'
                   when invoice_month is null or not regexp_matches(invoice_month, '^\\d{{6}}$')
                       then 'invoice.month missing or not YYYYMM'
               end as _invalid,
               exists (select 1 from {TARGET} t where t._row_hash = h._row_hash) as _present
        from h
        """
    )
    conn.execute(
        """
        create or replace temp table _gcp_judged2 as
        select *, coalesce(_invalid, case when not _present and _dup_rank > 1
                                          then 'duplicate row: identical values earlier in this batch' end) as _reason
        from _gcp_judged
        """
    )
    conn.execute(
        f"""
        insert into {TARGET}
        select {_insert_order()},
               substr(invoice_month, 1, 4) || '-' || substr(invoice_month, 5, 2), _row_hash, filename,
               file_row_number, ?, now()
        from _gcp_judged2 where _reason is null and not _present
        """,
        [load_id],
    )
    conn.execute(
        f"insert into {QUARANTINE} select ?, ?, filename, file_row_number, _reason, "
        "coalesce(_j, to_json({'line': _line})), now() from _gcp_judged2 where _reason is not null",
        [partition, load_id],
    )
    record_source_totals(
        conn, load_id=load_id, source=SOURCE, partition_key=partition,
        select_sql="select coalesce(substr(invoice_month, 1, 4) || '-' || substr(invoice_month, 5, 2), 'unknown'), "
                   "'Google Cloud', currency, count(*), sum(cost + coalesce(credits_amount, 0)), "
                   "coalesce(sum(cost + coalesce(credits_amount, 0)) filter (_reason is not null), 0), filename "
                   "from _gcp_judged2 where not _present group by all",
        per_file=True,
    )
    for f in to_read:
        conn.execute("insert into audit.source_files values (?, ?, ?, ?, "
                     "(select count(*) from _gcp_judged2 where filename = ?), now())",
                     [SOURCE, f.path, f.sha256, load_id, f.path])
    rows, bad, present = conn.execute(
        "select count(*), count(_reason), count(*) filter (_reason is null and _present) from _gcp_judged2"
    ).fetchone()
    for t in ["_gcp_stage", "_gcp_typed", "_gcp_judged", "_gcp_judged2", "_gcp_rejects", "_gcp_rejects_scan"] + [
            f"_gcp_file_{i}" for i in range(len(files))]:
        conn.execute(f"drop table if exists {t}")
    return StageCounts(rows_read=rows + rejected, rows_loaded=rows - bad - present, rows_quarantined=bad + rejected,
                       rows_skipped=present, notes=notes)


def _insert_order() -> str:
    """Columns in the table's order: every field, with credits_amount after credits."""
    out = []
    for c in FIELDS:
        out.append(_q(c))
        if c == "credits":
            out.append("credits_amount")
    return ", ".join(out)


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
    return conn.execute(f"select max(export_time) from {TARGET}").fetchone()[0]
