"""Facility power: the topology file (sites, racks, PDUs, hosts, meters, tariffs) with the on-prem hardware register,
and the daily readings: the meter/BMS CSV files and Redfish walks (today's walked now into the landing area, earlier
ones already landed)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from collectors.power.hardware_register import Asset, Rejected, read_register
from collectors.power.topology import Topology, load_topology
from pipelines.sources.contract import CheckFact, Landed, LoadFacts, Log, RawSource, Request, SourceCheck
from pipelines.sources.redfish_walks import walk_endpoints, walks_of_day
from warehouse.loaders.power import load_bms_days, load_redfish_day, replace_hardware_register, replace_topology

_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Facility:
    """The topology file and the hardware register (none when not configured), as read."""

    topology: Topology
    register: tuple[list[Asset], list[Rejected]] | None
    register_file: str | None


def fetch_topology(settings: Any, request: Request, log: Log) -> Landed:
    register_file = settings.source.hardware_register
    register = read_register(Path(register_file)) if register_file else None
    return Landed(Facility(load_topology(Path(settings.source.topology)), register, register_file),
                  metadata={"file": settings.source.topology})


def load_topology_file(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    facility: Facility = landed.items
    topo = facility.topology
    counts = replace_topology(conn, topo.racks, topo.hosts, topo.meters, topo.tariffs)
    assets, rejected = facility.register or ([], [])
    counts |= replace_hardware_register(conn, assets, rejected, source_file=facility.register_file or "",
                                        load_id=str(uuid.uuid4()))
    rows = len(topo.racks) + len(topo.hosts) + len(topo.meters) + len(topo.tariffs)
    summary = f"topology {landed.metadata['file']}: {counts}"
    if rejected:
        summary += "; hardware register rows quarantined: " + "; ".join(f"line {r.line}: {r.reason}" for r in rejected)
    return LoadFacts(rows_read=rows + len(assets) + len(rejected), rows_loaded=rows + len(assets),
                     rows_quarantined=len(rejected), metadata={**counts, "dagster/row_count": len(topo.racks)},
                     table_rows={"power_hosts": len(topo.hosts), "power_meters": len(topo.meters),
                                 "power_tariffs": len(topo.tariffs), "onprem_assets": len(assets)},
                     summary=summary)


@dataclass(frozen=True)
class PowerDays:
    """The days to load, the BMS files serving each day, and where saved walks are."""

    days: list[str]
    files_by_day: dict[str, list[Path]]
    landing: Path
    location: Path
    mapping: Any


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    """Walk the Redfish endpoints when the window holds today; find the BMS files of each day."""
    days = [f"{d:%Y-%m-%d}" for d in request.days]
    location = Path(settings.source.location)
    today = f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d}" in days
    unreachable = walk_endpoints(settings, log) if today else {}
    csv_files = sorted(location.glob(settings.source.csv.glob)) if location.is_dir() else []
    # a file named for a day holds that day; any other file (monthly export, rolling log) may hold any day
    files_by_day = {day: [f for f in csv_files if day in f.name or not _DATED.search(f.name)] for day in days}
    planned = PowerDays(days, {d: f for d, f in files_by_day.items() if f}, Path(settings.landing_dir), location,
                        settings.mapping())
    return Landed(planned, unreachable, {"unreachable_endpoints": unreachable})


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    p: PowerDays = landed.items
    bms = load_bms_days(conn, files_by_day=p.files_by_day, mapping=p.mapping) if p.files_by_day else {}
    facts, missing, problems = LoadFacts(), 0, {}
    for day in p.days:
        walks = walks_of_day(day, p.landing, p.location)
        results = ([bms[day]] if day in bms else []) + ([load_redfish_day(conn, day=day, walks=walks)] if walks else [])
        for r in results:
            facts.rows_read += r.rows_read
            facts.rows_loaded += r.rows_loaded
            facts.rows_quarantined += r.rows_quarantined
            facts.rows_already_loaded += r.rows_read - r.rows_loaded - r.rows_quarantined
            missing += int(r.notes.get("missing_readings", 0))
        for w in walks:
            for problem in w.problems:
                problems[problem["problem"]] = problems.get(problem["problem"], 0) + 1
    facts.metadata = {"rows_repeated_or_other_day": facts.rows_already_loaded, "missing_readings": missing,
                      "redfish_problems": problems}
    facts.checks.append(CheckFact("redfish_consistent", not problems and not landed.unreachable,
                                  {"problems": problems, "unreachable": landed.unreachable}))
    facts.summary = (f"power {request.label}: read {facts.rows_read}, loaded {facts.rows_loaded}, quarantined "
                     f"{facts.rows_quarantined}, missing {missing}; Redfish problems {problems}")
    return facts


TOPOLOGY = RawSource("power_racks", "power", "power", ("yaml", "duckdb"), fetch_topology, load_topology_file,
                     retries=0, also=("power_hosts", "power_meters", "power_tariffs", "onprem_assets"))
SOURCE = RawSource("power_readings", "power", "power", ("redfish", "csv", "duckdb"), fetch, load, partitions="daily",
                   single_run_backfill=True, retries=0, after=("power_racks",), checks=(SourceCheck(
                       "redfish_consistent", "no dangling links or readings that disagree with their sensor",
                       blocking=False, warn=True),))
