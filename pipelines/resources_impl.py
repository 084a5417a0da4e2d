"""Configurable resources: the warehouse file and the AWS CUR source. Secrets only through ``dg.EnvVar``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

from collectors.aws import cur as cur_collector
from collectors.aws.session import client as aws_client
from collectors.storage import LocalStore, ObjectStore, S3Store, parse_s3_uri
from pipelines.config import InfraledgerConfig
from warehouse.connection import writer
from warehouse.schema import apply_ddl


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file. Every writer goes through the ``duckdb`` pool (limit 1)."""

    path: str = Field(description="Absolute path of the DuckDB file.")
    lock_wait_s: float = Field(60.0, description="Seconds to wait for another process's write lock.")

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection with the DDL applied; closed on exit so the next step can open the file."""
        with writer(self.path, wait_s=self.lock_wait_s) as conn:
            apply_ddl(conn)
            yield conn


class AwsCurSourceResource(dg.ConfigurableResource):
    """Where the Data Exports deliveries are: a local mirror of the prefix or ``s3://bucket/prefix``."""

    location: str
    export_name: str
    region: str = "us-east-1"
    endpoint_url: str | None = None
    profile: str | None = None
    landing_dir: str
    aws_access_key_id: str | None = Field(None, description="Set only through dg.EnvVar; None = default chain.")
    aws_secret_access_key: str | None = Field(None, description="Set only through dg.EnvVar.")

    def store(self) -> ObjectStore:
        if not self.location.startswith("s3://"):
            return LocalStore(Path(self.location))
        bucket, prefix = parse_s3_uri(self.location)
        s3 = aws_client("s3", region=self.region, endpoint_url=self.endpoint_url, profile=self.profile,
                        access_key_id=self.aws_access_key_id, secret_access_key=self.aws_secret_access_key)
        return S3Store(client=s3, bucket=bucket, prefix=prefix)

    def deliveries(self, store: ObjectStore) -> dict[str, cur_collector.CurDelivery]:
        """The newest delivery of every billing period found under the export's metadata/ prefix."""
        return cur_collector.latest_deliveries(cur_collector.find_deliveries(store, self.export_name))


def build_aws_cur_resource(cfg: InfraledgerConfig, *, access_key_id=None, secret_access_key=None) -> AwsCurSourceResource:
    """The CUR source resource for a configuration (credentials only as dg.EnvVar or None)."""
    cur = cfg.sources.aws_cur
    return AwsCurSourceResource(
        location=cfg.location(cur.location),
        export_name=cur.export_name,
        region=cur.region,
        endpoint_url=cur.endpoint_url,
        profile=cur.profile,
        landing_dir=str(cfg.resolve(cfg.landing_dir)),
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
    )
