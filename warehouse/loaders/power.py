"""Facility power into ``raw.power_readings``: the meter/BMS CSV and Redfish walks, one (source, day) partition
replaced per load; the topology tables replaced from the configured file.

CSV: every column read as text with a configurable mapping; timestamps with an offset are converted to UTC, naive
ones read in the configured zone; W/kW/MW and Wh/kWh/MWh normalized to kW and kWh; an empty or NaN reading is kept
as NULL (missing, never 0); a repeated (device, time, metric) reading loads once; rows of other days are left to
their own partition; unreadable lines and rows without time or device are quarantined with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.loaders.csv_text import RejectedLine, read_csv_as_text
from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition

TARGET = "raw.power_readings"
QUARANTINE = "quarantine.power_readings"
UNITS = {"w": ("power_kw", 0.001), "kw": ("power_kw", 1.0), "mw": ("power_kw", 1000.0),
         "wh": ("energy_kwh", 0.001), "kwh": ("energy_kwh", 1.0), "mwh": ("energy_kwh", 1000.0)}


@dataclass(frozen=True)
class CsvMapping:
    """Which CSV column holds what. ``device`` and ``value`` list candidates; the first present is used."""

    timestamp: str = "timestamp"
    site: str = "site"
    room: str = "room"
    rack: str = "rack"
    device: tuple[str, ...] = ("pdu", "meter")
    value: tuple[str, ...] = ("kw", "kwh", "w", "wh", "mw", "mwh")
    unit: str | None = None          # None = the value column's name (kw, kwh, ...)
    timezone: str = "UTC"            # for timestamps without an offset


@dataclass(frozen=True)
class StagedBmsFile:
    """One CSV read once into a temp table of judged rows (``table``), for any number of day partitions."""

    path: Path
    table: str
    metric: str
    rejects: tuple[RejectedLine, ...]


def stage_bms_files(conn: duckdb.DuckDBPyConnection, files: Sequence[Path],
                    m: CsvMapping = CsvMapping()) -> list[StagedBmsFile]:
    """Read every file once: typed, judged (reason or NULL) and ranked among its valid rows per device and minute."""
    staged = []
    for n, path in enumerate(files):
        rejects = read_csv_as_text(conn, path, "_bms_raw")
        cols = {c.lower(): c for c, in conn.execute("select column_name from (describe _bms_raw)").fetchall()}
        device = next((cols[c.lower()] for c in m.device if c.lower() in cols), None)
        value = next((cols[c.lower()] for c in m.value if c.lower() in cols), None)
        if m.timestamp.lower() not in cols or device is None or value is None:
            raise ValueError(f"{path}: needs columns {m.timestamp!r}, one of {list(m.device)} and one of "
                             f"{list(m.value)}; it has {sorted(cols.values())}")
        unit = (m.unit or value).lower()
        if unit not in UNITS:
            raise ValueError(f"{path}: unit {unit!r} unknown (one of {', '.join(UNITS)})")
        metric, scale = UNITS[unit]
        opt = lambda name: f'"{cols[name.lower()]}"' if name.lower() in cols else "null"  # noqa: E731
        table = f"_bms_f{n}"
        conn.execute(
            f"""
            create or replace temp table {table} as
            with typed as (
                select file_row_number + 2 as line, trim("{cols[m.timestamp.lower()]}") as ts_text,
                       nullif(trim({opt(m.site)}), '') as site, nullif(trim({opt(m.room)}), '') as room,
                       nullif(trim({opt(m.rack)}), '') as rack, nullif(trim("{device}"), '') as device,
                       nullif(trim("{value}"), '') as v
                from _bms_raw
            ),
            timed as (
                select *,
                    case when regexp_matches(ts_text, '(Z|[+-]\\d{{2}}:?\\d{{2}})$')
                         then try_cast(ts_text as timestamptz) at time zone 'UTC'
                         else timezone(?, try_cast(ts_text as timestamp)) at time zone 'UTC' end as reading_time,
                    case when v is null or lower(v) = 'nan' then null else try_cast(v as double) * ? end as value
                from typed
            ),
            judged as (
                select *,
                    case
                        when reading_time is null then 'timestamp unreadable: ' || coalesce(ts_text, 'empty')
                        when device is null then 'no device (pdu or meter) named'
                        when v is not null and lower(v) <> 'nan' and value is null then 'reading not a number: ' || v
                    end as _reason
                from timed
            )
            -- repeats are ranked among the valid rows only: a bad row never hides a valid reading of the same minute
            select *, row_number() over (partition by device, reading_time, _reason is null order by line) as _rank,
                   strftime(reading_time, '%Y-%m-%d') as _day
            from judged
            """,
            [m.timezone, scale],
        )
        conn.execute("drop table if exists _bms_raw")
        staged.append(StagedBmsFile(path=path, table=table, metric=metric, rejects=tuple(rejects)))
    return staged


def drop_staged(conn: duckdb.DuckDBPyConnection, staged: Sequence[StagedBmsFile]) -> None:
    for f in staged:
        conn.execute(f"drop table if exists {f.table}")


def _csv_stage(conn: duckdb.DuckDBPyConnection, day: str, staged: Sequence[StagedBmsFile], load_id: str,
               partition: str) -> StageCounts:
    read = loaded = quarantined = skipped = other_days = missing = 0
    for f in staged:
        path, t = f.path, f.table
        conn.execute(
            f"""
            insert into {TARGET}
            select reading_time, 'bms', site, room, rack, device, null, 'meter', ?, value, ?, line, ?, ?, now()
            from {t} where _reason is null and _rank = 1 and _day = ?
              and not exists (select 1 from {TARGET} t where t._partition = ? and t.device = {t}.device
                              and t.reading_time = {t}.reading_time and t.metric = ?)
            """,
            [f.metric, str(path), partition, load_id, day, partition, f.metric],
        )
        r, q, mine, nulls = conn.execute(
            "select count(*), count(_reason), count(*) filter (_reason is null and _day = ?), "
            f"count(*) filter (_reason is null and _rank = 1 and value is null and _day = ?) from {t}",
            [day, day]).fetchone()
        new = conn.execute(f"select count(*) from {TARGET} where _load_id = ?", [load_id]).fetchone()[0]
        conn.execute(
            f"insert into {QUARANTINE} select ?, ?, ?, line, _reason, to_json({{'timestamp': ts_text, 'device': device, "
            f"'value': v}}), now() from {t} where _reason is not null", [partition, load_id, str(path)])
        for rej in f.rejects:
            conn.execute(f"insert into {QUARANTINE} values (?, ?, ?, ?, ?, ?, now())",
                         [partition, load_id, str(path), rej.line, rej.reason, json.dumps({"line": rej.csv_line})])
        this_loaded = new - loaded
        read += r + len(f.rejects)
        quarantined += q + len(f.rejects)
        other_days += r - q - mine
        skipped += r - q - this_loaded        # other days + repeated readings
        loaded = new
        missing += nulls
    return StageCounts(rows_read=read, rows_loaded=loaded, rows_quarantined=quarantined, rows_skipped=skipped,
                       notes={"missing_readings": missing, "rows_of_other_days": other_days,
                              "duplicate_readings": skipped - other_days, "files": len(staged)})


def _replace_bms_day(conn: duckdb.DuckDBPyConnection, day: str, staged: Sequence[StagedBmsFile]) -> LoadResult:
    partition = f"bms/{day}"
    return replace_partition(
        conn, source="power_bms", target_table=TARGET, quarantine_table=QUARANTINE, partition_column="_partition",
        partition_key=partition, delivery_id=None, input_files=[InputFile.of(f.path) for f in staged],
        stage=lambda c, load_id: _csv_stage(c, day, staged, load_id, partition),
    )


def load_bms_day(conn: duckdb.DuckDBPyConnection, *, day: str, files: Sequence[Path],
                 mapping: CsvMapping = CsvMapping()) -> LoadResult:
    """Replace ``bms/<day>`` with the readings of that day in ``files``."""
    [result] = load_bms_days(conn, files_by_day={day: list(files)}, mapping=mapping).values()
    return result


def load_bms_days(conn: duckdb.DuckDBPyConnection, *, files_by_day: Mapping[str, Sequence[Path]],
                  mapping: CsvMapping = CsvMapping()) -> dict[str, LoadResult]:
    """Replace ``bms/<day>`` for every day with the readings of that day in its files, reading each file once
    (a monthly export serves all its days from one read)."""
    every = sorted({f for files in files_by_day.values() for f in files})
    staged = stage_bms_files(conn, every, mapping)
    by_path = {f.path: f for f in staged}
    try:
        return {day: _replace_bms_day(conn, day, [by_path[f] for f in files])
                for day, files in files_by_day.items()}
    finally:
        drop_staged(conn, staged)


@dataclass
class RedfishWalkFile:
    """One walk: where it was saved, the endpoint, when, its readings and problems (dicts of the walk's fields)."""

    path: Path
    endpoint: str
    walked_at: object
    readings: Sequence[Mapping[str, object]]
    problems: Sequence[Mapping[str, object]]


_RF_COLS = ("reading_time", "device", "circuit", "kind", "metric", "value", "file", "line")


def _redfish_stage(conn: duckdb.DuckDBPyConnection, day: str, walks: Sequence[RedfishWalkFile], load_id: str,
                   partition: str) -> StageCounts:
    conn.execute("delete from raw.redfish_problems where _partition = ?", [partition])
    cols: dict[str, list[object]] = {c: [] for c in _RF_COLS}
    for w in walks:
        for n, r in enumerate(w.readings, start=1):
            watts = r["metric"] == "power_w"
            for c, v in (("reading_time", r.get("reading_time") or w.walked_at), ("device", r["device"]),
                         ("circuit", r.get("circuit")), ("kind", r["kind"]),
                         ("metric", "power_kw" if watts else r["metric"]),
                         ("value", None if r.get("value") is None else float(r["value"]) / (1000 if watts else 1)),
                         ("file", str(w.path)), ("line", n)):
                cols[c].append(v)
        for p in w.problems:
            conn.execute("insert into raw.redfish_problems values (?, ?, ?, ?, ?, ?, ?)",
                         [w.walked_at, w.endpoint, p["uri"], p["problem"], p.get("detail"), partition, load_id])
    types = {"reading_time": pa.timestamp("us"), "value": pa.float64(), "line": pa.int64()}
    staged = pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in cols.items()})  # noqa: F841
    conn.execute(
        f"""
        insert into {TARGET}
        select reading_time, 'redfish', null, null, null, device, circuit, kind, metric, value, file, line, ?, ?, now()
        from staged where strftime(reading_time, '%Y-%m-%d') = ?
        qualify row_number() over (partition by device, circuit, kind, metric, reading_time order by file, line) = 1
        """,
        [partition, load_id, day],
    )
    loaded = conn.execute(f"select count(*) from {TARGET} where _load_id = ?", [load_id]).fetchone()[0]
    total = len(cols["file"])
    return StageCounts(rows_read=total, rows_loaded=loaded, rows_quarantined=0, rows_skipped=total - loaded,
                       notes={"walks": len(walks), "problems": sum(len(w.problems) for w in walks)})


def load_redfish_day(conn: duckdb.DuckDBPyConnection, *, day: str, walks: Sequence[RedfishWalkFile]) -> LoadResult:
    """Replace ``redfish/<day>`` with the readings of that day from ``walks`` (repeats and other days skipped)."""
    partition = f"redfish/{day}"
    files = [InputFile.of(w.path) for w in walks if w.path.is_file()]
    return replace_partition(
        conn, source="power_redfish", target_table=TARGET, quarantine_table=QUARANTINE,
        partition_column="_partition", partition_key=partition, delivery_id=None, input_files=files,
        stage=lambda c, load_id: _redfish_stage(c, day, walks, load_id, partition),
    )


def replace_topology(conn: duckdb.DuckDBPyConnection, racks: Sequence[tuple], hosts: Sequence[tuple],
                     meters: Sequence[tuple], tariffs: Sequence[tuple]) -> dict[str, int]:
    """Replace the four topology tables in one transaction."""
    conn.execute("begin transaction")
    try:
        for table, rows, width in (("raw.power_racks", racks, 5), ("raw.power_hosts", hosts, 2),
                                   ("raw.power_meters", meters, 2), ("raw.power_tariffs", tariffs, 5)):
            conn.execute(f"delete from {table}")
            if rows:
                conn.executemany(f"insert into {table} values ({', '.join('?' * width)})", [list(r) for r in rows])
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return {"racks": len({r[2] for r in racks}), "pdus": len(racks), "hosts": len(hosts), "meters": len(meters),
            "tariff_bands": len(tariffs)}
