"""warehouse.engine spark, end to end: the shared sample month's warehouse (built by DuckDB) copied, the engine set to
spark, and every dbt asset materialized again by Dagster as production would (the raw layer published to a Parquet
lake, dbt-spark building the whole project in-process with pyspark's own jars, the same vars, checks and metadata,
then the warehouse file reading what Spark wrote through views). Every table Spark wrote is compared with DuckDB's
build of the same model: the same tables, the same rows, money equal to the cent, other numbers to 1e-9 relative."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.runner import RunSummary, materialize
from tests.e2e.table_parity import differences
from tests.e2e.whole_graph_run import PARTITION, WholeGraph, whole_graph_settings
from tests.spark_runtime import require_spark
from warehouse.lake import table_dir

pytestmark = pytest.mark.slow

BUILD_TIME = frozenset({"_built_at"})  # when each engine built the rows: differs by nature
# tables the sample month leaves empty on both engines (nothing in it to fill them)
EMPTY_ON_SAMPLE: set[str] = set()


@pytest.fixture(scope="module")
def on_spark(whole_graph: WholeGraph, sample_dir: Path,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[RunSummary, Path, Path]:
    """(the Dagster run of every dbt asset on Spark, its warehouse file, its lake)."""
    require_spark()
    assert whole_graph.summary.success, whole_graph.summary.failure_details
    from pipelines.definitions import defs

    root = tmp_path_factory.mktemp("spark_engine")
    lake = root / "lake"
    with pytest.MonkeyPatch.context() as mp, dg.DagsterInstance.ephemeral() as instance:
        warehouse = whole_graph_settings(mp, root, sample_dir, whole_graph.receiver)  # the whole graph's settings, here
        shutil.copyfile(whole_graph.warehouse, warehouse)
        mp.setenv("INFRALEDGER_WAREHOUSE_ENGINE", "spark")
        mp.setenv("INFRALEDGER_LAKE_LOCATION", str(lake))
        mp.setenv("INFRALEDGER_SPARK_MASTER", "local[2]")
        mp.setenv("INFRALEDGER_SPARK_DRIVER_MEMORY", "1g")
        # the sample month is small: Spark's default of 200 shuffle partitions (sized for clusters) only adds tasks
        mp.setenv("INFRALEDGER_SPARK_CONF", '{spark.sql.shuffle.partitions: "2"}')
        [summary] = materialize(defs(), selection="kind:dbt", partitions=[PARTITION], instance=instance)
    return summary, warehouse, lake


@pytest.fixture(scope="module")
def spark_lake(on_spark: tuple[RunSummary, Path, Path], whole_graph: WholeGraph) -> tuple[Path, Path]:
    summary, _, lake = on_spark
    assert summary.success, summary.failure_details
    return whole_graph.warehouse, lake


def _spark_tables(lake: Path) -> list[str]:
    return sorted(f"{layer}.{p.name}" for layer in ("intermediate", "marts") if (lake / layer).is_dir()
                  for p in (lake / layer).iterdir() if p.is_dir() and any(p.rglob("*.parquet")))


def test_every_table_spark_builds_equals_duckdbs(spark_lake: tuple[Path, Path]) -> None:
    warehouse, lake = spark_lake
    built = _spark_tables(lake)
    with duckdb.connect() as conn:  # the warehouse attached read-only; the comparison's own tables in memory
        conn.execute("set timezone = 'UTC'")
        conn.execute("attach $path as w (read_only)", {"path": str(warehouse)})
        duck_tables = {f"{s}.{t}" for s, t in conn.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = 'w' "
            "and table_schema in ('intermediate', 'marts') and table_type = 'BASE TABLE'").fetchall()}
        assert set(built) == duck_tables, (f"only on DuckDB: {sorted(duck_tables - set(built))}; "
                                           f"only on Spark: {sorted(set(built) - duck_tables)}")
        for table in built:
            files = str(table_dir(lake, table) / "**" / "*.parquet")  # a partitioned table's files are in folders
            spark = "read_parquet('" + files.replace("'", "''") + "', hive_partitioning = true)"
            n = conn.execute(f"select count(*) from {spark}").fetchone()[0]
            assert n or table in EMPTY_ON_SAMPLE, f"{table} is empty on both engines: the sample should fill it"
            found = differences(conn, spark, f"w.{table}", skip=BUILD_TIME)
            assert not found, f"{table}: Spark and DuckDB differ: {found}"


def test_the_warehouse_reads_what_spark_built(on_spark: tuple[RunSummary, Path, Path],
                                              whole_graph: WholeGraph) -> None:
    """After a Spark build the warehouse file's marts are views over the lake (what `infraledger sql`, the checks and
    the report read), and the checks ran on them found no more than they found on DuckDB's tables."""
    summary, warehouse, lake = on_spark
    assert summary.success, summary.failure_details
    assert summary.checks_run
    assert set(summary.checks_failed) <= set(whole_graph.summary.checks_failed), summary.failure_details
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        kinds = dict(conn.execute("select table_name, table_type from information_schema.tables "
                                  "where table_schema = 'marts'").fetchall())
        assert kinds and set(kinds.values()) == {"VIEW"}, kinds
        [sql] = conn.execute("select sql from duckdb_views() where schema_name = 'marts' "
                             "and view_name = 'fct_cost_daily'").fetchone()
        assert str(lake / "marts" / "fct_cost_daily") in sql
        assert conn.execute("select count(*) from marts.fct_cost_daily").fetchone()[0] > 0
