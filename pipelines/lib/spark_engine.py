"""``warehouse.engine: spark``: what a dbt build needs beyond DuckDB's. The raw layer is published to the lake first,
dbt runs its ``spark`` target (dbt-spark, in-process Spark configured by a spark-defaults.conf written from the
``spark:`` section), and the tables Spark wrote are then readable from the warehouse file as views over the lake,
so the checks, the report and ``infraledger sql`` read the figures Spark computed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dagster as dg

from pipelines.config import SparkConfig

DBT_TARGET = "spark"
THRIFT_TARGET = "spark_thrift"
LAKE_ENV = "INFRALEDGER_LAKE_LOCATION"  # read by dbt/profiles.yml and the lake macros
JAVA_OPTIONS = "spark.driver.extraJavaOptions"


def spark_conf_dir(lake: Path, spark: SparkConfig) -> Path:
    """``<lake>/_spark/conf/spark-defaults.conf`` from the configuration (Spark reads it at start, as spark-submit
    does); returns the folder, for SPARK_CONF_DIR."""
    # how Spark must read the lake and the models' SQL is in dbt/profiles.yml; this file holds where it runs and the
    # driver JVM's options (set in the profile too, they replaced these: a user's were silently dropped)
    java_options = " ".join(o for o in (f"-Dderby.stream.error.file={lake / '_spark' / 'derby.log'}",
                                        spark.conf.get(JAVA_OPTIONS, "")) if o)
    conf = {"spark.master": spark.master, "spark.driver.memory": spark.driver_memory, "spark.ui.enabled": "false",
            **spark.conf, JAVA_OPTIONS: java_options}
    folder = lake / "_spark" / "conf"
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{k} {v}\n" for k, v in sorted(conf.items()))
    path = folder / "spark-defaults.conf"
    if not path.is_file() or path.read_text() != text:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        os.replace(tmp, path)
    return folder


def dbt_environment(lake: Path, spark: SparkConfig) -> dict[str, str]:
    """The variables a dbt invocation on Spark reads (dbt/profiles.yml: the lake, and the in-process session's
    spark-defaults.conf or the Thrift server's address)."""
    if spark.thrift_server:
        host, port = spark.thrift_server.rsplit(":", 1)
        return {LAKE_ENV: str(lake), "INFRALEDGER_SPARK_THRIFT_HOST": host, "INFRALEDGER_SPARK_THRIFT_PORT": port}
    return {LAKE_ENV: str(lake), "SPARK_CONF_DIR": str(spark_conf_dir(lake, spark))}


def dbt_arguments(spark: SparkConfig) -> list[str]:
    """dbt's target: the in-process session, or a Thrift server where ``spark.thrift_server`` names one."""
    return ["--target", THRIFT_TARGET if spark.thrift_server else DBT_TARGET]


def built_tables(context: Any, events: list[Any], manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """(schema, table) of every table or incremental model among a dbt build's outputs: what Spark wrote to the lake
    (staging models and the few intermediate views stay views in Spark's catalog)."""
    out = []
    for event in events:
        if not isinstance(event, dg.Output) or "unique_id" not in event.metadata:
            continue
        node = manifest["nodes"].get(event.metadata["unique_id"].value)
        key = context.asset_key_for_output(event.output_name)
        if node and node["config"]["materialized"] in ("table", "incremental") \
                and key.path[0] in ("intermediate", "marts"):
            out.append((key.path[0], key.path[-1]))
    return out
