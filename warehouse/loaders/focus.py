"""Load FOCUS 1.0-1.2 exports (CSV, CSV.gz, Parquet; AWS, Azure, OCI and GCP flavours) into ``raw.focus_cost_rows``.

Real FOCUS files bend the spec; each bend is accepted and recorded per row in ``_coercions``:
bare ``NULL``/``null`` tokens and empty strings are NULL, ``YYYY-MM-DD HH:MM:SS`` timestamps are read as UTC,
offsets are converted to UTC, spreadsheet forms (``$10,000.00``, ``4/1/25`` as month/day/year) are read, enum values in the wrong case (``Usage-based``) take the spec's spelling, and an
unreadable optional value becomes NULL. A row goes to ``quarantine.focus_cost_rows`` (with the reason) when a value
that money or time depends on is unreadable, its billing period is not the delivery's, or its charge category is
not FOCUS. Identical rows are loaded (FOCUS has no line-item identity; the spec's own examples repeat rows) and
counted; a re-delivery replaces the period, so nothing is counted twice. Pre-1.0 names (``ChargeType``, ``UsageQuantity``, ``AmortizedCost``)
are mapped to their 1.x names; other columns (``x_*``, ``Id``) are kept in ``_extra_columns``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.loaders.csv_text import RejectedLine, read_csv_as_text
from warehouse.loads import LoadResult, StageCounts, input_files, record_source_totals, replace_partition
from warehouse.schema import table_columns

SOURCE = "focus"
TARGET = "raw.focus_cost_rows"
QUARANTINE = "quarantine.focus_cost_rows"
REQUIRED_COLUMNS = ("billed_cost", "billing_currency", "billing_period_start", "charge_period_start", "charge_category")
ALIASES = {
    "charge_type": "charge_category",
    "usage_quantity": "consumed_quantity",
    "usage_unit": "consumed_unit",
    "amortized_cost": "effective_cost",
    "region": "region_name",
}
ENUMS = {
    "charge_category": ("Usage", "Purchase", "Tax", "Credit", "Adjustment"),
    "charge_class": ("Correction",),
    "charge_frequency": ("One-Time", "Recurring", "Usage-Based"),
    "pricing_category": ("Standard", "Dynamic", "Committed", "Other"),
    "commitment_discount_status": ("Used", "Unused"),
    "commitment_discount_category": ("Spend", "Usage"),
}
_ISO_UTC = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"
_READER = ("filename", "file_row_number")


class FocusFileError(ValueError):
    """A FOCUS file cannot be read (empty, truncated, corrupt compression, not CSV/Parquet)."""


class FocusSchemaError(ValueError):
    """A FOCUS file lacks a column every FOCUS version requires."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def snake(name: str) -> str:
    """``PricingCurrencyEffectiveCost`` → ``pricing_currency_effective_cost`` (snake_case input is kept)."""
    s = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name.strip())
    s = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", s)
    s = s.lower()
    return ALIASES.get(s, s)


def _read_file(conn: duckdb.DuckDBPyConnection, path: Path, table: str) -> list[RejectedLine]:
    """Read one file as text into ``table``; return CSV lines the parser rejected as (line, reason, record)."""
    if path.stat().st_size == 0:
        raise FocusFileError(f"FOCUS file {path} is empty (0 bytes)")
    try:
        if path.name.endswith(".parquet"):
            cols = conn.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()
            exprs = [
                f"to_json({_q(c)})::varchar as {_q(c)}" if str(t).upper().startswith(("MAP", "STRUCT", "LIST"))
                or str(t).endswith("[]") else f"cast({_q(c)} as varchar) as {_q(c)}"
                for c, t, *_ in cols
            ]
            conn.execute(
                f"create or replace temp table {table} as select {', '.join(exprs)}, filename, file_row_number "
                "from read_parquet(?, filename = true, file_row_number = true)", [str(path)],
            )
            return []
        return read_csv_as_text(conn, path, table, null_tokens=("NULL", "null"))
    except duckdb.Error as exc:
        raise FocusFileError(f"cannot read FOCUS file {path}: {exc}") from exc


def _renamed(conn: duckdb.DuckDBPyConnection, table: str, path: Path, assume_currency: str | None,
             known: set[str]) -> tuple[str, list[str]]:
    cols = [c for c, in conn.execute(f"select column_name from (describe {table})").fetchall() if c not in _READER]
    loose = {k.replace("_", ""): k for k in known}
    if not cols or cols == ["column0"]:
        raise FocusFileError(f"FOCUS file {path} has no header row")
    mapping: dict[str, str] = {}
    for c in cols:
        name = c if c.startswith("x_") else snake(c)
        mapping.setdefault(loose.get(name.replace("_", ""), name) if not c.startswith("x_") else name, c)
    assumed = ""
    if "billing_currency" not in mapping and assume_currency:
        assumed = f", {_lit(assume_currency)} as billing_currency, true as _currency_assumed"
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping and not (c == "billing_currency" and assumed)]
    if missing:
        raise FocusSchemaError(f"FOCUS file {path} is missing required column(s): {', '.join(missing)}")
    select = ", ".join(f"{_q(src)} as {_q(dst)}" for dst, src in mapping.items())
    return f"select {select}{assumed}, filename, file_row_number from {table}", list(mapping) + (
        ["billing_currency"] if assumed else [])


def _typed(name: str, dtype: str) -> tuple[str, list[str]]:
    """The typed expression for one present column and the coercion messages it can produce."""
    v = f"nullif(trim({_q(name)}), '')"
    raw = _q(name)
    notes = [f"when {raw} is not null and trim({raw}) = '' then '{name}: empty string read as NULL'"]
    d = dtype.upper()
    if d.startswith("TIMESTAMP"):
        expr = (f"case when regexp_matches({v}, '(Z|[+-]\\d{{2}}:?\\d{{2}})$') "
                f"then try_cast({v} as timestamptz) at time zone 'UTC' "
                f"when regexp_matches({v}, '^\\d{{1,2}}/\\d{{1,2}}/\\d{{2,4}}$') "
                f"then try_strptime({v}, ['%m/%d/%y', '%m/%d/%Y']) else try_cast({v} as timestamp) end")
        notes.append(f"when {v} is not null and ({expr}) is null then '{name}: unreadable timestamp read as NULL'")
        notes.append(f"when {v} is not null and not regexp_matches({v}, '{_ISO_UTC}') "
                     f"then '{name}: timestamp not in ISO 8601 UTC form, read as UTC'")
    elif d.startswith("DECIMAL"):
        plain = f"regexp_replace({v}, '[$€£¥,\\s]', '', 'g')"
        expr = (f"coalesce(try_cast({v} as {dtype}), try_cast({plain} as {dtype}), "
                f"try_cast(try_cast({v} as double) as {dtype}))")
        notes.append(f"when {v} is not null and ({expr}) is null then '{name}: unreadable number read as NULL'")
        notes.append(f"when try_cast({v} as {dtype}) is null and try_cast({plain} as {dtype}) is not null "
                     f"then '{name}: currency symbol or thousands separator removed'")
    elif d == "JSON":
        expr = f"case when json_valid({v}) then {v}::json end"
        notes.append(f"when {v} is not null and not json_valid({v}) then '{name}: invalid JSON read as NULL'")
    elif name in ENUMS:
        allowed = ENUMS[name]
        cases = " ".join(f"when lower({v}) = {_lit(a.lower())} then {_lit(a)}" for a in allowed)
        expr = f"case {cases} else {v} end"
        notes.append(f"when {v} is not null and ({expr}) <> {v} "
                     f"then '{name}: ' || {v} || ' read as ' || ({expr})")
    else:
        expr = v
    return expr, notes


def _stage(conn: duckdb.DuckDBPyConnection, files: Sequence[Path], partition: str, period: str, export_name: str,
           delivery_id: str, load_id: str, assume_currency: str | None) -> StageCounts:
    known = [(n, t) for n, t in table_columns(conn, "raw", "focus_cost_rows") if not n.startswith("_")]
    known_names = {n for n, _ in known}
    selects: list[str] = []
    present: set[str] = set()
    rejected = 0
    for i, path in enumerate(files):
        table = f"_focus_file_{i}"
        rejects = _read_file(conn, path, table)
        sql, cols = _renamed(conn, table, path, assume_currency, known_names)
        selects.append(sql)
        present |= set(cols)
        for r in rejects:
            conn.execute(f"insert into {QUARANTINE} values (?, ?, ?, ?, ?, ?, now())",
                         [partition, load_id, str(path), r.line, r.reason, json.dumps({"csv_line": r.csv_line})])
        rejected += len(rejects)
    conn.execute("create or replace temp table _focus_stage as " + " union all by name ".join(f"({s})" for s in selects))
    for i in range(len(files)):
        conn.execute(f"drop table if exists _focus_file_{i}")

    source_cols = sorted(present)
    extras = [c for c in source_cols if c not in known_names]
    assumed_any = "_currency_assumed" in {c for c, in conn.execute("select column_name from (describe _focus_stage)").fetchall()}
    if assumed_any:
        coercions_extra = [f"case when _currency_assumed then 'billing_currency: column absent, assumed {assume_currency}' end"]
    else:
        coercions_extra = []
    typed: list[str] = []
    coercions: list[str] = []
    for name, dtype in known:
        if name in present:
            expr, notes = _typed(name, dtype)
            typed.append(f"{expr} as {_q(name)}")
            coercions += [f"case {n} end" for n in notes]
        else:
            typed.append(f"cast(null as {dtype}) as {_q(name)}")
    record = "to_json(struct_pack(" + ", ".join(f"{_q(c)} := {_q(c)}" for c in source_cols) + "))"
    extra = ("to_json(struct_pack(" + ", ".join(f"{_q(c)} := {_q(c)}" for c in extras) + "))") if extras else "null"
    coercions += coercions_extra
    coercion_list = f"list_filter([{', '.join(coercions)}], lambda x: x is not null)" if coercions else "[]"
    conn.execute(
        f"""
        create or replace temp table _focus_typed as
        select {', '.join(typed)},
               {coercion_list} as _coercions, {extra} as _extra_columns, {record} as _record,
               filename, file_row_number,
                  row_number() over (partition by md5({record}) order by filename, file_row_number) as _dup_rank
        from _focus_stage
        """
    )
    categories = ", ".join(_lit(c) for c in ENUMS["charge_category"])
    conn.execute(
        f"""
        create or replace temp table _focus_judged as
        select *, case
            when billed_cost is null then 'billed_cost missing or unreadable'
            when billing_currency is null then 'billing_currency missing'
            when charge_period_start is null then 'charge_period_start missing or unreadable'
            when billing_period_start is null then 'billing_period_start missing or unreadable'
            when strftime(billing_period_start, '%Y-%m') <> ? then 'billing period '
                 || strftime(billing_period_start, '%Y-%m') || ' is not the delivery''s billing period ' || ?
            when charge_category not in ({categories}) then 'charge_category ' || charge_category || ' is not FOCUS'
        end as _reason
        from _focus_typed
        """,
        [period, period],
    )
    cols = ", ".join(_q(n) for n, _ in known)
    conn.execute(
        f"insert into {TARGET} select {cols}, ?, ?, ?, ?, filename, file_row_number, _coercions, _extra_columns, ?, now() "
        "from _focus_judged where _reason is null",
        [partition, period, export_name, delivery_id, load_id],
    )
    conn.execute(
        f"insert into {QUARANTINE} select ?, ?, filename, file_row_number, _reason, _record, now() "
        "from _focus_judged where _reason is not null",
        [partition, load_id],
    )
    record_source_totals(
        conn, load_id=load_id, source=SOURCE, partition_key=partition,
        select_sql="select ?, coalesce(provider_name, invoice_issuer_name, ?), billing_currency, count(*), "
                   "sum(billed_cost), coalesce(sum(billed_cost) filter (_reason is not null), 0) "
                   "from _focus_judged group by all",
        params=[period, export_name],
    )
    rows, bad, repeated = conn.execute(
        "select count(*), count(_reason), count(*) filter (_dup_rank > 1 and _reason is null) from _focus_judged"
    ).fetchone()
    coerced = dict(conn.execute(
        "select c, count(*) from (select unnest(_coercions) as c from _focus_judged where _reason is null) "
        "group by c order by c"
    ).fetchall())
    for t in ("_focus_stage", "_focus_typed", "_focus_judged"):
        conn.execute(f"drop table if exists {t}")
    notes: dict[str, object] = {}
    if coerced:
        notes["coercions"] = coerced
    if extras:
        notes["non_focus_columns"] = extras
    if rejected:
        notes["unparseable_csv_lines"] = rejected
    if repeated:
        # FOCUS rows carry no line-item identity: identical rows are legitimate (two equal resources), so they load.
        notes["identical_rows_loaded"] = repeated
    return StageCounts(rows_read=rows + rejected, rows_loaded=rows - bad, rows_quarantined=bad + rejected, notes=notes)


def load_focus_delivery(
    conn: duckdb.DuckDBPyConnection,
    *,
    export_name: str,
    billing_period: str,
    delivery_id: str,
    files: Sequence[Path],
    display_paths: Sequence[str] | None = None,
    assume_currency: str | None = None,
) -> LoadResult:
    """Replace ``export_name``'s ``billing_period`` ('YYYY-MM') with the rows of one delivery's files."""
    inputs = input_files(files, display_paths, f"FOCUS delivery {delivery_id} of {export_name} for {billing_period}")
    partition = f"{export_name}/{billing_period}"
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="_partition",
        partition_key=partition, delivery_id=delivery_id, input_files=inputs,
        stage=lambda c, load_id: _stage(c, list(files), partition, billing_period, export_name, delivery_id, load_id,
                                         assume_currency),
    )
