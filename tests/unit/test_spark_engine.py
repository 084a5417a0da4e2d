"""warehouse.engine spark: which dbt target a build runs, and what it is told, from the spark: settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.config import ConfigError, SparkConfig, load_config
from pipelines.lib import spark_engine

pytestmark = pytest.mark.unit


def test_in_process_spark_reads_its_settings_from_a_conf_file_under_the_lake(tmp_path: Path) -> None:
    spark = SparkConfig(master="local[4]", driver_memory="3g", conf={"spark.sql.shuffle.partitions": "8"})
    env = spark_engine.dbt_environment(tmp_path, spark)
    assert spark_engine.dbt_arguments(spark) == ["--target", "spark"]
    assert env["INFRALEDGER_LAKE_LOCATION"] == str(tmp_path)
    conf = (Path(env["SPARK_CONF_DIR"]) / "spark-defaults.conf").read_text().splitlines()
    assert {"spark.master local[4]", "spark.driver.memory 3g", "spark.sql.shuffle.partitions 8"} <= set(conf)


def test_the_driver_jvm_gets_the_metastore_log_then_the_users_options(tmp_path: Path) -> None:
    """The driver JVM's options are written once, in spark-defaults.conf: the Derby log beside the metastore, then
    spark.conf's own (when dbt's profile also set them, the profile's replaced a user's without a word)."""
    spark = SparkConfig(conf={"spark.driver.extraJavaOptions": "-Duser.timezone=UTC -XX:+UseParallelGC"})
    env = spark_engine.dbt_environment(tmp_path, spark)
    conf = (Path(env["SPARK_CONF_DIR"]) / "spark-defaults.conf").read_text().splitlines()
    [options] = [line for line in conf if line.startswith("spark.driver.extraJavaOptions ")]
    assert options.split(" ")[1:] == [f"-Dderby.stream.error.file={tmp_path / '_spark' / 'derby.log'}",
                                      "-Duser.timezone=UTC", "-XX:+UseParallelGC"]
    profile = (Path(__file__).resolve().parents[2] / "dbt" / "profiles.yml").read_text()
    assert "extraJavaOptions:" not in profile


def test_a_thrift_server_takes_the_build_with_its_own_settings(tmp_path: Path) -> None:
    cfg = load_config(None, env={"INFRALEDGER_WAREHOUSE_ENGINE": "spark",
                                 "INFRALEDGER_SPARK_THRIFT_SERVER": "spark-thrift.internal:10001"})
    env = spark_engine.dbt_environment(tmp_path, cfg.spark)
    assert spark_engine.dbt_arguments(cfg.spark) == ["--target", "spark_thrift"]
    assert env == {"INFRALEDGER_LAKE_LOCATION": str(tmp_path), "INFRALEDGER_SPARK_THRIFT_HOST": "spark-thrift.internal",
                   "INFRALEDGER_SPARK_THRIFT_PORT": "10001"}
    assert not (tmp_path / "_spark").exists()  # no spark-defaults.conf: the server is configured where it runs


def test_a_thrift_server_without_a_port_is_refused_naming_the_key() -> None:
    with pytest.raises(ConfigError, match="thrift_server"):
        load_config(None, env={"INFRALEDGER_SPARK_THRIFT_SERVER": "spark-thrift.internal"})
