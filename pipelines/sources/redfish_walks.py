"""Redfish walks saved as JSON in the landing area (``<landing>/redfish/<endpoint>/<UTC time>.json``), and read
back, with saved snapshot folders, for one day."""

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from collectors.prometheus.scrape import target_folder
from collectors.redfish.client import FolderTransport, RedfishError, Transport
from collectors.redfish.walk import walk
from pipelines.sources.contract import Log
from warehouse.loaders.power import RedfishWalkFile


def walk_and_save(transport: Transport, landing: Path) -> Path:
    """Walk one service now and keep the result (readings and problems) as a file; returns its path."""
    at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    result = walk(transport)
    folder = landing / "redfish" / target_folder(transport.endpoint)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{at:%Y%m%dT%H%M%S.%fZ}.json"
    doc = {"endpoint": transport.endpoint, "walked_at": at.isoformat(), "resources_read": result.resources_read,
           "readings": [dataclasses.asdict(r) for r in result.readings],
           "problems": [dataclasses.asdict(p) for p in result.problems]}
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(doc, default=str))
    tmp.replace(path)
    return path


def walk_endpoints(power: Any, log: Log) -> dict[str, str]:
    """Walk every configured endpoint once into the landing area; {endpoint: why} for those that failed."""
    failed = {}
    for transport in power.transports():
        try:
            walk_and_save(transport, Path(power.landing_dir))
        except RedfishError as exc:
            failed[transport.endpoint] = str(exc)
            log.warning(str(exc))
        finally:
            transport.close()
    return failed


def _stamp(name: str) -> dt.datetime | None:
    for fmt in ("%Y%m%dT%H%M%S.%fZ", "%Y%m%dT%H%M%SZ"):
        try:
            return dt.datetime.strptime(name, fmt)
        except ValueError:
            continue
    return None


def walks_of_day(day: str, landing: Path, location: Path) -> list[RedfishWalkFile]:
    """Saved walks (landing area) and snapshot folders (``<location>/redfish/<time>/``) taken on ``day``."""
    out = []
    for f in sorted((landing / "redfish").glob("*/*.json")):
        at = _stamp(f.stem)
        if at and f"{at:%Y-%m-%d}" == day:
            doc = json.loads(f.read_text())
            readings = [{**r, "reading_time": dt.datetime.fromisoformat(r["reading_time"]) if r.get("reading_time")
                         else None} for r in doc["readings"]]
            out.append(RedfishWalkFile(f, doc["endpoint"], at, readings, doc["problems"]))
    for folder in sorted((location / "redfish").glob("*")):
        at = _stamp(folder.name)
        if at and folder.is_dir() and f"{at:%Y-%m-%d}" == day:
            result = walk(FolderTransport(folder))
            out.append(RedfishWalkFile(folder / "redfish" / "v1" / "index.json", f"file://{folder}", at,
                                       [dataclasses.asdict(r) for r in result.readings],
                                       [dataclasses.asdict(p) for p in result.problems]))
    return out
