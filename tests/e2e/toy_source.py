"""A new source as a newcomer adds one: daily meter readings (CSV files named readings-<day>.csv) as a plan, a
fetch, a loader and one factory call. tests/e2e/test_toy_source.py shows it in the UI and materializes it."""

import shutil
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.lib.raw_source import raw_source_asset
from pipelines.config import WarehouseConfig
from pipelines.resources_impl import WarehouseResource
from pipelines.sources.contract import CheckFact, Landed, LoadFacts, Log, RawSource, Request, SourceCheck


class ToyMetersResource(dg.ConfigurableResource):
    location: str
    landing_dir: str


def plan(settings: ToyMetersResource, request: Request, _mark: None) -> list[str]:
    """The files of the window's days."""
    return [f"readings-{day:%Y-%m-%d}.csv" for day in request.days]


def fetch(settings: ToyMetersResource, names: list[str], log: Log) -> Landed:
    """Copy the planned files that exist into the landing area."""
    landing = Path(settings.landing_dir) / "toy_meters"
    landing.mkdir(parents=True, exist_ok=True)
    found = [Path(settings.location) / n for n in names if (Path(settings.location) / n).is_file()]
    return Landed([shutil.copy(f, landing / f.name) for f in found], metadata={"files": len(found)})


def _reading(text: str | None) -> bool:
    try:
        return Decimal(text) >= 0
    except (InvalidOperation, TypeError):
        return False


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    """Replace each file's rows; a reading that is not a non-negative number is quarantined (counted)."""
    conn.execute("create table if not exists raw.toy_meter_readings "
                 "(read_at timestamp, meter varchar, kwh decimal(18, 6), _file varchar)")
    facts = LoadFacts()
    for f in landed.items:
        conn.execute("delete from raw.toy_meter_readings where _file = ?", [Path(f).name])
        rows = conn.execute("select read_at, meter, kwh from read_csv(?, all_varchar = true)", [str(f)]).fetchall()
        good = [(t, m, Decimal(k), Path(f).name) for t, m, k in rows if _reading(k)]
        if good:
            conn.executemany("insert into raw.toy_meter_readings values (?, ?, ?, ?)", good)
        facts.rows_read += len(rows)
        facts.rows_loaded += len(good)
        facts.rows_quarantined += len(rows) - len(good)
    meters = conn.execute("select count(distinct meter) from raw.toy_meter_readings").fetchone()[0]
    facts.checks.append(CheckFact("meters_present", meters > 0, {"meters": meters}))
    return facts


TOY = RawSource("toy_meter_readings", "toy_meters", "toy", ("csv", "duckdb"), fetch, load, plan=plan,
                partitions="daily", freshness="daily", description="Meter readings from daily CSV files (a toy).",
                checks=(SourceCheck("meters_present", "at least one meter has readings"),))


def toy_definitions(warehouse: str, location: str, landing: str) -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(TOY)], resources={
        "warehouse": WarehouseResource(settings=WarehouseConfig(path=warehouse)),
        "toy_meters": ToyMetersResource(location=location, landing_dir=landing)})


defs = toy_definitions(*(str(Path.cwd() / n) for n in ("toy.duckdb", "toy_meters", "landing")))
