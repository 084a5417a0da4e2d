"""warehouse.engine spark: the shared sample month's raw layer published to a Parquet lake, every model written for
Spark built there by dbt-spark (in-process Spark, pyspark's own jars), and each table Spark wrote compared with
DuckDB's build of the same model: same rows, money equal to the cent, other numbers to 1e-9 relative.

Models tagged spark_pending (dbt_project.yml) and everything built from them are not built on Spark yet; the test
fails when a model that Spark builds disagrees with DuckDB, or when fewer tables than those known to port build."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.config import SparkConfig
from pipelines.lib import spark_engine
from pipelines.lib.dbt_manifest import dbt_executable
from warehouse.lake import publish, table_dir

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt"
# the table models that build on Spark today: the test fails if one stops building
BUILD_TIME = {"_built_at"}  # when each engine built the rows: differs by nature
PORTED = {"intermediate.int_power__device_minutes", "intermediate.int_gcp_commitment_hourly",
          "intermediate.int_gcp_commitment_amortized"}


def _spark_available() -> None:
    missing = [what for what, ok in (("java (Debian: openjdk-17-jre-headless)", shutil.which("java")),
                                     ("pyspark (pip install -e '.[spark]')", _importable("pyspark")),
                                     ("dbt-spark", _importable("dbt.adapters.spark"))) if not ok]
    if missing:
        # not yet in CI: with pyspark installed beside great-expectations, GX steps failed under pytest-xdist in the
        # session that added this test (it passes alone: `pip install -e '.[dev,spark]'`, then `pytest -n 0` it)
        pytest.skip("Spark parity needs " + ", ".join(missing))


def _importable(module: str) -> bool:
    import importlib.util
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@pytest.fixture(scope="module")
def spark_lake(whole_graph, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shared warehouse's raw layer in a lake, and every ported model built there by dbt-spark."""
    _spark_available()
    assert whole_graph.summary.success, whole_graph.summary.failure_details
    lake = tmp_path_factory.mktemp("lake")
    with duckdb.connect(str(whole_graph.warehouse), read_only=True) as conn:
        published = publish(conn, lake)
    assert sum(p.rows_written for p in published) > 0
    target = tmp_path_factory.mktemp("dbt_spark_target")
    env = {**os.environ, **spark_engine.dbt_environment(lake, SparkConfig(master="local[2]", driver_memory="1g"))}
    cmd = [dbt_executable(), "build", *spark_engine.dbt_arguments(), "--exclude-resource-type", "unit_test",
           "--target-path", str(target), "--log-path", str(target)]
    done = subprocess.run(cmd, cwd=DBT_DIR, env=env, capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stdout[-6000:]
    return whole_graph.warehouse, lake


def _has_built_at(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    return bool(conn.execute("select count(*) from information_schema.columns where table_schema = $s and "
                             "table_name = $t and column_name = '_built_at'", {"s": schema, "t": name}).fetchone()[0])


def _spark_tables(lake: Path) -> list[str]:
    return sorted(f"{layer}.{p.name}" for layer in ("intermediate", "marts") if (lake / layer).is_dir()
                  for p in (lake / layer).iterdir() if p.is_dir() and any(p.rglob("*.parquet")))


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, datetime) and isinstance(b, datetime):  # Spark writes instants; DuckDB's are UTC wall times
        return _naive_utc(a) == _naive_utc(b)
    if isinstance(a, date) != isinstance(b, date) or isinstance(a, str) != isinstance(b, str):
        return str(a) == str(b)  # a partition column comes back from its folder's name
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return round(Decimal(str(a)), 2) == round(Decimal(str(b)), 2)  # money: to the cent
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def _text(v: object) -> str:
    return str(_naive_utc(v)) if isinstance(v, datetime) else str(v)


def _naive_utc(t: datetime) -> datetime:
    return t.astimezone(timezone.utc).replace(tzinfo=None) if t.tzinfo else t


def _sort_key(row: tuple) -> tuple:
    # floats and decimals may differ in their last digits between engines: order by everything else first
    return tuple((v is None, _text(v) if not isinstance(v, (float, Decimal)) else "") for v in row) + \
        tuple((v is None, float(v) if isinstance(v, (float, Decimal)) else 0.0) for v in row)


def test_every_table_spark_builds_equals_duckdbs(spark_lake: tuple[Path, Path]) -> None:
    warehouse, lake = spark_lake
    built = _spark_tables(lake)
    assert PORTED <= set(built), f"tables that no longer build on Spark: {sorted(PORTED - set(built))}"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        for table in built:
            files = str(table_dir(lake, table) / "**" / "*.parquet")  # a partitioned table's files are in folders
            spark_rel = conn.execute("select * exclude (_built_at) from read_parquet($files, hive_partitioning = true)"
                                     if _has_built_at(conn, table) else
                                     "select * from read_parquet($files, hive_partitioning = true)", {"files": files})
            columns = [d[0] for d in spark_rel.description if d[0] not in BUILD_TIME]
            spark_rows = sorted(spark_rel.fetchall(), key=_sort_key)
            quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
            duck_rows = sorted(conn.execute(f"select {quoted} from {table}").fetchall(), key=_sort_key)
            assert len(spark_rows) == len(duck_rows), f"{table}: Spark {len(spark_rows)} rows, DuckDB {len(duck_rows)}"
            assert spark_rows, f"{table} is empty on both engines: the sample should fill it"
            for s_row, d_row in zip(spark_rows, duck_rows):
                diff = [(c, s, d) for c, s, d in zip(columns, s_row, d_row) if not _same(s, d)]
                assert not diff, f"{table}: Spark and DuckDB differ in {diff[:5]}"
