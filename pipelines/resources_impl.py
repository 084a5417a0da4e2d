"""Configurable resources: the warehouse file, the quality folder, and one resource per source holding that source's
settings as configured (``source``: the model of pipelines/config.py, its local paths made absolute), with what
only a resource has: the landing folder, the secrets (only through ``dg.EnvVar``) and the clients built from them."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from pydantic import Field

from collectors.aws import cur as cur_collector
from collectors.aws import cur_legacy as legacy_collector
from collectors import focus as focus_collector
from collectors.aws.session import client as aws_client
from collectors.redfish.client import Credentials, HttpTransport
from collectors.tls import client_context
from collectors.storage import LocalStore, ObjectStore, S3Store, parse_s3_uri
from pipelines.budget_settings import BudgetSettings
from pipelines.config import (AwsCurLegacySource, AwsCurSource, DcgmExporterSource, FleetConfig, FocusSource,
                              GcpBillingSource, GcpCatalogSource, InfraledgerConfig, InventorySource, LakeConfig,
                              PowerSource, PrometheusSource, S3Location, ServingSource, SparkConfig, SpotPricesSource,
                              TlsSettings, WarehouseConfig)
from warehouse.connection import writer
from warehouse.loaders.power import CsvMapping
from warehouse.schema import apply_ddl


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file (``warehouse:`` as configured, its path absolute). Every writer goes through the
    ``duckdb`` pool (limit 1)."""

    settings: WarehouseConfig = Field(description="warehouse: path, lock wait, memory limit, read snapshot.")
    allocation_tag_keys: list[str] = Field(["service", "team"], description="Tag keys that become fct_cost columns.")
    fleet: FleetConfig = Field(FleetConfig(), description="fleet: the fleet efficiency marts' settings (dbt vars).")
    lake: LakeConfig = Field(LakeConfig(), description="lake: where warehouse.engine spark publishes and builds.")
    spark: SparkConfig = Field(SparkConfig(), description="spark: the Spark session of warehouse.engine spark.")

    @property
    def path(self) -> str:
        return self.settings.path

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection with the DDL applied; closed on exit so the next step can open the file."""
        with writer(self.settings.path, wait_s=self.settings.lock_wait_s, memory_limit=self.settings.memory_limit) as conn:
            apply_ddl(conn)
            yield conn


class QualityResource(dg.ConfigurableResource):
    """Where great-expectations keeps validation results and builds its data docs."""

    docs_dir: str = Field(description="Absolute path of the GX project folder.")
    keep_results: int = Field(7, ge=1, description="Validation results kept per suite in the data docs.")
    chunk_mib: float = Field(256, gt=0, description="Rows above this size (MiB of frame) are validated in chunks.")


class BudgetsResource(dg.ConfigurableResource):
    """The configured budgets (dbt's var ``budgets``, one asset check each) and where their alerts go: a
    Slack-compatible webhook whose URL is a secret (only through dg.EnvVar INFRALEDGER_ALERT_WEBHOOK_URL)."""

    budgets: list[BudgetSettings] = Field([], description="budgets_file's budgets.")
    webhook_url: str | None = Field(None, description="Set only through dg.EnvVar; None = alerts are not sent.")
    webhook_timeout_s: float = Field(10.0, gt=0, description="How long a webhook POST may take.")


class _SourceResource(dg.ConfigurableResource):
    """What every source resource has beside its settings: where remote files land before loading."""

    landing_dir: str = Field(description="Absolute path of the landing area.")


class _AwsKeys(dg.ConfigurableResource):
    aws_access_key_id: str | None = Field(None, description="Set only through dg.EnvVar; None = default chain.")
    aws_secret_access_key: str | None = Field(None, description="Set only through dg.EnvVar.")


class BucketSourceResource(_SourceResource, _AwsKeys):
    """A bucket-shaped source: a local mirror of the prefix or ``s3://bucket/prefix`` read with boto3."""

    source: S3Location

    def store(self) -> ObjectStore:
        src = self.source
        if not src.location.startswith("s3://"):
            return LocalStore(Path(src.location))
        bucket, prefix = parse_s3_uri(src.location)
        s3 = aws_client("s3", region=src.region, endpoint_url=src.endpoint_url, profile=src.profile,
                        access_key_id=self.aws_access_key_id, secret_access_key=self.aws_secret_access_key,
                        max_attempts=src.max_attempts)
        return S3Store(client=s3, bucket=bucket, prefix=prefix)


class AwsCurSourceResource(BucketSourceResource):
    """Where the Data Exports (CUR 2.0) deliveries are."""

    source: AwsCurSource

    def deliveries(self, store: ObjectStore) -> dict[str, cur_collector.CurDelivery]:
        """The newest delivery of every billing period found under the export's metadata/ prefix."""
        return cur_collector.latest_deliveries(cur_collector.find_deliveries(store, self.source.export_name))


class AwsCurLegacySourceResource(BucketSourceResource):
    """Legacy CUR reports; ``source`` is None when the configuration has no ``sources.aws_cur_legacy``."""

    source: AwsCurLegacySource | None = None

    @property
    def enabled(self) -> bool:
        return self.source is not None

    def deliveries(self, store: ObjectStore) -> dict[str, cur_collector.CurDelivery]:
        """The current assembly of every billing period of the report."""
        return legacy_collector.legacy_deliveries(store, self.source.report_prefix, self.source.report_name)


class FocusSourceResource(BucketSourceResource):
    """A FOCUS export; ``source`` is None when the configuration has no ``sources.focus``."""

    source: FocusSource | None = None

    @property
    def enabled(self) -> bool:
        return self.source is not None

    def deliveries(self, store: ObjectStore) -> dict[str, cur_collector.CurDelivery]:
        """The newest delivery (or the period folder) of every billing period of the export."""
        return focus_collector.focus_deliveries(store, self.source.export_name, self.source.layout)


class GcpBillingSourceResource(BucketSourceResource):
    """The GCP billing export: exported files in a folder or under ``s3://bucket/prefix``, or a BigQuery table."""

    source: GcpBillingSource


class SpotPricesSourceResource(_SourceResource, _AwsKeys):
    """EC2 spot price history: recorded pages in a folder, or the live API (``location: api``)."""

    source: SpotPricesSource

    @property
    def live(self) -> bool:
        return self.source.location == "api"

    def ec2(self, region: str) -> Any:
        return aws_client("ec2", region=region, endpoint_url=self.source.endpoint_url, profile=self.source.profile,
                          access_key_id=self.aws_access_key_id, secret_access_key=self.aws_secret_access_key)


class GcpCatalogSourceResource(_SourceResource):
    """GCP SKU prices: recorded pages in a folder, or the Cloud Billing Catalog API (``location: api``)."""

    source: GcpCatalogSource


class TlsResource(_SourceResource):
    """An https source; ``tls(what, warn)`` builds the client context (warning when verification is off)."""

    source: TlsSettings

    def tls(self, what: str, warn: Callable[[str], object] | None = None) -> ssl.SSLContext:
        return client_context(self.source.verify_tls, self.source.ca_bundle, what=what, warn=warn)


class DcgmExporterResource(TlsResource):
    """dcgm-exporter targets to scrape (saved into the landing area) and a folder of saved scrapes."""

    source: DcgmExporterSource


class ServingSourceResource(TlsResource):
    """vLLM / Triton targets to scrape and a folder of saved scrapes (one folder per service)."""

    source: ServingSource

    @property
    def services_by_target(self) -> dict[str, str]:
        """{target url: the service it serves}."""
        return {t.url: t.service for t in self.source.targets}


class InventorySourceResource(_SourceResource, _AwsKeys):
    """EC2 DescribeInstances ('api' or recorded pages) and a hosts CSV; AWS keys only as dg.EnvVar."""

    source: InventorySource

    def ec2_client(self, region: str) -> Any:
        return aws_client("ec2", region=region, endpoint_url=self.source.endpoint_url, profile=self.source.profile,
                          access_key_id=self.aws_access_key_id, secret_access_key=self.aws_secret_access_key)


class PowerSourceResource(_SourceResource):
    """BMS CSV files and Redfish snapshots under ``location``, live Redfish endpoints, the topology file.
    Redfish credentials only as dg.EnvVar (INFRALEDGER_REDFISH_USERNAME / INFRALEDGER_REDFISH_PASSWORD)."""

    source: PowerSource
    redfish_username: str | None = None
    redfish_password: str | None = None

    def mapping(self) -> CsvMapping:
        m = self.source.csv.model_dump(exclude={"glob"}, exclude_none=True)
        return CsvMapping(**{**m, "device": tuple(m["device"]), "value": tuple(m["value"])})

    def transports(self) -> list[HttpTransport]:
        creds = Credentials(self.redfish_username, self.redfish_password)
        return [HttpTransport(e.url, credentials=creds, auth=e.auth, verify_tls=e.verify_tls, ca_bundle=e.ca_bundle,
                              timeout_s=e.timeout_s, retries=e.retries)
                for e in self.source.redfish]


class PrometheusSourceResource(TlsResource):
    """A live Prometheus (``http(s)://``) or a folder of saved query_range answers."""

    source: PrometheusSource

    @property
    def live(self) -> bool:
        return self.source.location.startswith(("http://", "https://"))


# resource key and class of every source resource; each takes sources.<key> as configured
SOURCE_RESOURCES: dict[str, type[_SourceResource]] = {
    "aws_cur": AwsCurSourceResource, "aws_cur_legacy": AwsCurLegacySourceResource, "focus": FocusSourceResource,
    "gcp_billing": GcpBillingSourceResource, "spot_prices": SpotPricesSourceResource,
    "gcp_catalog": GcpCatalogSourceResource, "prometheus": PrometheusSourceResource,
    "dcgm_exporter": DcgmExporterResource, "serving": ServingSourceResource, "inventory": InventorySourceResource,
    "power": PowerSourceResource,
}


def build_source_resources(cfg: InfraledgerConfig, *, access_key_id=None, secret_access_key=None,
                           redfish_username=None, redfish_password=None) -> dict[str, dg.ConfigurableResource]:
    """Every source's resource: its settings as configured, the landing folder, and the secrets it uses (only
    dg.EnvVar or None)."""
    secrets: dict[type, dict[str, object]] = {
        _AwsKeys: {"aws_access_key_id": access_key_id, "aws_secret_access_key": secret_access_key},
        PowerSourceResource: {"redfish_username": redfish_username, "redfish_password": redfish_password},
    }
    landing = str(cfg.resolve(cfg.landing_dir))
    out: dict[str, dg.ConfigurableResource] = {}
    for key, cls in SOURCE_RESOURCES.items():
        extra = {k: v for base, fields in secrets.items() if issubclass(cls, base) for k, v in fields.items()}
        out[key] = cls(source=cfg.source(key), landing_dir=landing, **extra)
    return out
