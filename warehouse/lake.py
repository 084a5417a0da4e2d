"""The raw layer as a Parquet lake (``warehouse.engine: spark``): every raw, audit and quarantine table of the
warehouse file published as Hive-partitioned Parquet under ``<lake>/<schema>/<table>/<partition>=<value>/``.

The loaders keep their rules (dedupe, quarantine, source totals) and do their per-file work in the DuckDB file as
before; what this adds is where the result is read from by another engine. A partition is one file, written beside
the lake and moved into place with one rename: a reader sees the old partition or the new one, never half of either
(a restated billing month swaps its file). Only partitions whose fingerprint (rows and the loads that wrote them)
changed since the last publish are written again, so a daily run publishes the day, not the history.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from warehouse import statements, templates
from warehouse.schema import table_columns

STATE_FILE = "_published.json"  # per table: partition -> [rows, fingerprint] as last published
PART_FILE = "data.parquet"      # the one file of a partition (or of an unpartitioned table)
EMPTY_PARTITION = "none"         # the partition of a table without rows: one file with no rows, removed with the first
_PART_VALUE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.:-]{0,63}$")


@dataclass(frozen=True)
class PartitionSpec:
    """How a table is split: by the day or month of a timestamp column, or by a text column's value."""
    name: str     # the folder key: <name>=<value>
    column: str
    kind: str     # day | month | text


_DAY = "day"
# raw tables split by billing month or by day; the rest (small: series, inventory, racks, tariffs) are one file
PARTITIONS: dict[str, PartitionSpec] = {
    "raw.aws_cur_line_items": PartitionSpec("billing_period", "bill_billing_period_start_date", "month"),
    "raw.aws_cur_legacy_line_items": PartitionSpec("billing_period", "bill_billing_period_start_date", "month"),
    "raw.focus_cost_rows": PartitionSpec("billing_period", "_billing_period", "text"),
    "raw.gcp_billing_export": PartitionSpec("billing_period", "_billing_period", "text"),
    "raw.aws_spot_prices": PartitionSpec(_DAY, "price_timestamp", "day"),
    "raw.dcgm_samples": PartitionSpec(_DAY, "sample_time", "day"),
    "raw.prometheus_samples": PartitionSpec(_DAY, "sample_time", "day"),
    "raw.serving_samples": PartitionSpec(_DAY, "sample_time", "day"),
    "raw.power_readings": PartitionSpec(_DAY, "reading_time", "day"),
}


@dataclass(frozen=True)
class TablePublish:
    """What one publish did to one table."""
    table: str
    partitions_written: int
    partitions_removed: int
    rows_written: int


def published_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table of the published schemas, ``schema.table``, in a stable order."""
    return [r[0] for r in statements.run(conn, "lake_base_tables").fetchall()]


def table_dir(lake: Path, table: str) -> Path:
    schema, name = table.split(".")
    return lake / schema / name


def publish(conn: duckdb.DuckDBPyConnection, lake: Path, tables: list[str] | None = None) -> list[TablePublish]:
    """Publish the changed partitions of ``tables`` (default: every raw, audit and quarantine table) to ``lake``."""
    lake.mkdir(parents=True, exist_ok=True)
    scratch = lake / ".publishing"  # beside the lake, same file system: the final move is one rename
    scratch.mkdir(exist_ok=True)
    try:
        return [_publish_table(conn, lake, scratch, t) for t in (tables or published_tables(conn))]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _publish_table(conn: duckdb.DuckDBPyConnection, lake: Path, scratch: Path, table: str) -> TablePublish:
    spec = PARTITIONS.get(table)
    schema, name = table.split(".")
    columns = table_columns(conn, schema, name)
    portable = [c for c, kind in columns if kind == "JSON"]  # JSON has no portable Parquet form: written as text
    current = {str(part): [int(n), int(fp)] for part, n, fp in conn.execute(templates.render(
        "lake/partition_fingerprints", table=table, spec=spec, by_load_id="_load_id" in dict(columns))).fetchall()}
    folder = table_dir(lake, table)
    state_path = folder / STATE_FILE
    before: dict[str, Any] = json.loads(state_path.read_text()) if state_path.is_file() else {}
    if not current:  # an empty table still has one (empty) file: readers learn its columns, partition column included
        current = {EMPTY_PARTITION if spec else "": [0, 0]}
    changed = [p for p, fp in current.items() if before.get(p) != fp]
    gone = [p for p in before if p not in current]
    written = 0
    for part in changed:
        target = _partition_file(folder, spec, part)
        tmp = scratch / f"{uuid.uuid4().hex}.parquet"
        templates.execute(conn, "lake/copy_partition", {"part": part} if spec else {}, table=table, spec=spec,
                          part=part if spec else None, path=str(tmp), portable=portable)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)  # atomic: readers see the old file or the new one
        written += current[part][0]
    for part in gone:
        shutil.rmtree(_partition_file(folder, spec, part).parent, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    tmp_state = scratch / f"{uuid.uuid4().hex}.json"
    tmp_state.write_text(json.dumps(current, sort_keys=True))
    os.replace(tmp_state, state_path)
    return TablePublish(table, len(changed), len(gone), written)


def _partition_file(folder: Path, spec: PartitionSpec | None, part: str) -> Path:
    if spec is None:
        return folder / PART_FILE
    if not _PART_VALUE.match(part):
        raise ValueError(f"partition value {part!r} of {folder.name} cannot name a folder")
    return folder / f"{spec.name}={part}" / PART_FILE


def read_as_views(conn: duckdb.DuckDBPyConnection, lake: Path, tables: list[tuple[str, str]]) -> None:
    """Make each (schema, table) that another engine wrote under ``<lake>/<schema>/<table>/`` a view of the
    warehouse file over its Parquet files, so every reader of the file reads what that engine computed."""
    existing = {r[0] for r in statements.run(conn, "lake_file_base_tables").fetchall()}
    for schema, name in tables:
        relation = f"{schema}.{name}"
        files = str(lake / schema / name / "**" / "*.parquet")  # a partitioned table's files are in folders
        conn.execute(templates.render("lake/table_as_lake_view", relation=relation, files=files,
                                      drop_table=relation in existing))
