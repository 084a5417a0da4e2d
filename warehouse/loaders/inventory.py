"""Upsert a host inventory snapshot into ``raw.host_inventory``: new resources are added, known ones get their
attributes and ``last_seen`` updated, nothing is deleted. Unusable rows go to ``quarantine.host_inventory``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition

TARGET = "raw.host_inventory"
QUARANTINE = "quarantine.host_inventory"
COLUMNS = ("provider", "resource_id", "instance_type", "hostname", "private_dns_name", "private_ip", "zone",
           "account", "state")


def load_inventory(conn: duckdb.DuckDBPyConnection, *, inventory_source: str, rows: Sequence[Mapping[str, object]],
                   bad_rows: Sequence[tuple[str, int, str, Mapping[str, object]]] = (),
                   files: Sequence[Path] = ()) -> LoadResult:
    """``rows``: inventory rows; ``bad_rows``: (file, line, reason, row) set aside by the reader. A row without
    provider or resource id cannot be upserted: it is quarantined too."""
    bad_rows = list(bad_rows)
    latest: dict[tuple[object, object], Mapping[str, object]] = {}
    usable = 0
    for r in rows:  # a resource listed twice in one snapshot: the last listing wins
        if not r.get("provider") or not r.get("resource_id"):
            bad_rows.append((str(files[0]) if files else inventory_source, 0, "provider or resource id missing", r))
            continue
        usable += 1
        latest[(r["provider"], r["resource_id"])] = r

    def stage(c: duckdb.DuckDBPyConnection, load_id: str) -> StageCounts:
        c.execute(f"delete from {QUARANTINE} where partition_key = ?", [inventory_source])  # this snapshot's only
        snapshot = pa.table({col: pa.array([str(r[col]) if r.get(col) is not None else None
                                            for r in latest.values()], pa.string()) for col in COLUMNS})
        c.register("_inventory_snapshot", snapshot)
        c.execute(
            f"""
            insert into {TARGET}
            select {', '.join(COLUMNS)}, ? as inventory_source, now(), now(), ? from _inventory_snapshot
            on conflict (provider, resource_id) do update set
                instance_type = coalesce(excluded.instance_type, instance_type),
                hostname = coalesce(excluded.hostname, hostname),
                private_dns_name = coalesce(excluded.private_dns_name, private_dns_name),
                private_ip = coalesce(excluded.private_ip, private_ip),
                zone = coalesce(excluded.zone, zone), account = coalesce(excluded.account, account),
                state = excluded.state, inventory_source = excluded.inventory_source,
                last_seen = excluded.last_seen, _load_id = excluded._load_id
            """,
            [inventory_source, load_id],
        )
        c.unregister("_inventory_snapshot")
        for file, line, reason, row in bad_rows:
            c.execute(f"insert into {QUARANTINE} values (?, ?, ?, ?, ?, ?, now())",
                      [inventory_source, load_id, file, line, reason, json.dumps(row, default=str)])
        return StageCounts(rows_read=usable + len(bad_rows), rows_loaded=len(latest),
                           rows_quarantined=len(bad_rows), rows_skipped=usable - len(latest),
                           notes={"resources": len(latest)})

    return replace_partition(
        conn, source="inventory", target_table=TARGET, quarantine_table=QUARANTINE,
        partition_column="inventory_source", partition_key=inventory_source, delivery_id=None,
        input_files=[InputFile.of(f) for f in files], replace=False, stage=stage,
    )
