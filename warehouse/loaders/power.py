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
from warehouse.templates import execute, fetch_one, render

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
        cols = {c.lower(): c for c, in execute(conn, "common/columns_of", table="_bms_raw").fetchall()}
        device = next((cols[c.lower()] for c in m.device if c.lower() in cols), None)
        value = next((cols[c.lower()] for c in m.value if c.lower() in cols), None)
        if m.timestamp.lower() not in cols or device is None or value is None:
            raise ValueError(f"{path}: needs columns {m.timestamp!r}, one of {list(m.device)} and one of "
                             f"{list(m.value)}; it has {sorted(cols.values())}")
        unit = (m.unit or value).lower()
        if unit not in UNITS:
            raise ValueError(f"{path}: unit {unit!r} unknown (one of {', '.join(UNITS)})")
        metric, scale = UNITS[unit]
        table = f"_bms_f{n}"
        execute(conn, "power/stage_bms_file", {"timezone": m.timezone, "scale": scale}, table=table,
                timestamp=cols[m.timestamp.lower()], device=device, value=value,
                site=cols.get(m.site.lower()), room=cols.get(m.room.lower()), rack=cols.get(m.rack.lower()))
        execute(conn, "common/drop_tables", tables=["_bms_raw"])
        staged.append(StagedBmsFile(path=path, table=table, metric=metric, rejects=tuple(rejects)))
    return staged


def drop_staged(conn: duckdb.DuckDBPyConnection, staged: Sequence[StagedBmsFile]) -> None:
    execute(conn, "common/drop_tables", tables=[f.table for f in staged])


def _csv_stage(conn: duckdb.DuckDBPyConnection, day: str, staged: Sequence[StagedBmsFile], load_id: str,
               partition: str) -> StageCounts:
    read = loaded = quarantined = skipped = other_days = missing = 0
    for f in staged:
        path, t = f.path, f.table
        params = {"metric": f.metric, "path": str(path), "partition_key": partition, "load_id": load_id, "day": day}
        execute(conn, "power/insert_bms_day", params, table=t)
        r, q, mine, nulls = fetch_one(conn, "power/bms_file_counts", params, table=t)
        new = fetch_one(conn, "power/rows_of_load", params)[0]
        execute(conn, "power/quarantine_bms", params, table=t)
        for rej in f.rejects:
            execute(conn, "common/quarantine_line", {**params, "source_file": str(path), "line": rej.line,
                                                     "reason": rej.reason, "record": json.dumps({"line": rej.csv_line})},
                    quarantine=QUARANTINE)
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
    params = {"partition_key": partition, "load_id": load_id, "day": day}
    execute(conn, "power/redfish_problems_delete", params)
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
            execute(conn, "power/redfish_problem", {**params, "walked_at": w.walked_at, "endpoint": w.endpoint,
                                                    "uri": p["uri"], "problem": p["problem"], "detail": p.get("detail")})
    types = {"reading_time": pa.timestamp("us"), "value": pa.float64(), "line": pa.int64()}
    conn.register("_redfish_staged", pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in cols.items()}))
    execute(conn, "power/insert_redfish_day", params)
    conn.unregister("_redfish_staged")
    loaded = fetch_one(conn, "power/rows_of_load", params)[0]
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
    conn.begin()
    try:
        for table, rows, width in (("raw.power_racks", racks, 5), ("raw.power_hosts", hosts, 2),
                                   ("raw.power_meters", meters, 2), ("raw.power_tariffs", tariffs, 5)):
            execute(conn, "power/topology_clear", table=table)
            if rows:
                conn.executemany(render("power/topology_insert", table=table, width=width), [list(r) for r in rows])
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return {"racks": len({r[2] for r in racks}), "pdus": len(racks), "hosts": len(hosts), "meters": len(meters),
            "tariff_bands": len(tariffs)}


def replace_hardware_register(conn: duckdb.DuckDBPyConnection, assets: Sequence, rejected: Sequence, *,
                              source_file: str, load_id: str) -> dict[str, int]:
    """Replace the on-prem hardware register (raw.onprem_assets) in one transaction; its unreadable rows go to
    quarantine.onprem_assets with the reason (partition 'register', replaced with it)."""
    conn.begin()
    try:
        execute(conn, "power/register_clear")
        for a in assets:
            execute(conn, "power/register_insert", {
                "asset": a.asset, "kind": a.kind, "site": a.site or None, "purchase_date": a.purchase_date,
                "currency": a.currency, "purchase_cost": a.purchase_cost, "depreciation_months": a.depreciation_months,
                "residual_value": a.residual_value, "support_per_month": a.support_per_month,
                "space_per_month": a.space_per_month, "source_file": source_file, "source_line": a.line})
        for r in rejected:
            execute(conn, "common/quarantine_line", {"partition_key": "register", "load_id": load_id,
                                                     "source_file": source_file, "line": r.line, "reason": r.reason,
                                                     "record": json.dumps(r.record)},
                    quarantine="quarantine.onprem_assets")
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return {"assets": len(assets), "assets_quarantined": len(rejected)}
