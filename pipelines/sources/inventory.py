"""Host inventory: EC2 DescribeInstances (live, pages kept in the landing area, or recorded pages), a hosts CSV
(on-prem servers) and a saved ``kubectl get nodes -o json``; upserted, never deleted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from collectors.aws.spot_prices import write_pages
from collectors.inventory import ec2 as ec2_inventory
from collectors.inventory.hosts_csv import read_hosts
from collectors.inventory.k8s_nodes import read_nodes
from pipelines.sources.contract import Landed, LoadFacts, Log, RawSource, Request, utc_stamp
from warehouse.loaders.inventory import load_inventory
from warehouse.statements import run

Part = tuple[str, list, list, list[Path]]   # (inventory source, usable rows, (file, line, reason, row), files)


def _judged(name: str, path: Path, setting: str, reader) -> Part:
    if not path.is_file():
        raise FileNotFoundError(f"sources.inventory.{setting} {path} does not exist")
    good, bad = [], []
    for line, row, reason in reader(path):
        (bad.append((str(path), line, reason, row)) if reason else good.append(row))
    return name, good, bad, [path]


def fetch(settings: Any, request: Request, log: Log) -> Landed:
    """The inventory parts: one per EC2 region, the hosts CSV, the node list (each where configured)."""
    parts: list[Part] = []
    if settings.source.ec2:
        for region in settings.source.ec2_regions:
            if settings.source.ec2 == "api":
                files = write_pages(ec2_inventory.fetch_pages(settings.ec2_client(region)),
                                    Path(settings.landing_dir) / "inventory" / "ec2" / utc_stamp() / region)
            else:
                files = ec2_inventory.recorded_pages(Path(settings.source.ec2), region)
            parts.append((f"ec2:{region}", list(ec2_inventory.instances(ec2_inventory.read_pages(files), region)),
                          [], files))
    for name, setting, reader in (("csv", "hosts_csv", read_hosts), ("kubectl", "kubectl_nodes", read_nodes)):
        if getattr(settings.source, setting):
            parts.append(_judged(name, Path(getattr(settings.source, setting)), setting, reader))
    return Landed(parts)


def load(conn: duckdb.DuckDBPyConnection, landed: Landed, request: Request) -> LoadFacts:
    facts = LoadFacts()
    for name, rows, bad, files in landed.items:
        facts.add(load_inventory(conn, inventory_source=name, rows=rows, bad_rows=bad, files=files))
    known = dict(run(conn, "inventory_by_provider").fetchall())
    facts.metadata = {"known_by_provider": known, "dagster/row_count": sum(known.values())}
    facts.summary = f"inventory: {facts.rows_loaded} resources seen, {facts.rows_quarantined} rows quarantined; known {known}"
    return facts


SOURCE = RawSource("host_inventory", "inventory", "telemetry", ("aws", "csv", "duckdb"), fetch, load)
