"""Upsert a host inventory snapshot into ``raw.host_inventory``: new resources are added, known ones get their
attributes and ``last_seen`` updated, nothing is deleted. Unusable rows go to ``quarantine.host_inventory``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition
from warehouse.statements import run

TARGET = "raw.host_inventory"
QUARANTINE = "quarantine.host_inventory"
COLUMNS = ("provider", "resource_id", "instance_type", "hostname", "private_dns_name", "private_ip", "zone",
           "account", "state", "state_reason", "instance_lifecycle")


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
        run(c, "inventory_clear_quarantine", source=inventory_source)
        snapshot = pa.table({col: pa.array([str(r[col]) if r.get(col) is not None else None
                                            for r in latest.values()], pa.string()) for col in COLUMNS})
        c.register("_inventory_snapshot", snapshot)
        run(c, "inventory_upsert", source=inventory_source, load_id=load_id)
        c.unregister("_inventory_snapshot")
        for file, line, reason, row in bad_rows:
            run(c, "inventory_quarantine_row", source=inventory_source, load_id=load_id, file=file, line=line,
                reason=reason, row=json.dumps(row, default=str))
        return StageCounts(rows_read=usable + len(bad_rows), rows_loaded=len(latest),
                           rows_quarantined=len(bad_rows), rows_skipped=usable - len(latest),
                           notes={"resources": len(latest)})

    return replace_partition(
        conn, source="inventory", target_table=TARGET, quarantine_table=QUARANTINE,
        partition_column="inventory_source", partition_key=inventory_source, delivery_id=None,
        input_files=[InputFile.of(f) for f in files], replace=False, stage=stage,
    )
