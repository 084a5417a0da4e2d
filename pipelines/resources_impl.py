"""Configurable resources: the warehouse file and the AWS CUR source. Secrets only through ``dg.EnvVar``."""

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
from pipelines.config import InfraledgerConfig, S3Location
from warehouse.connection import writer
from warehouse.loaders.power import CsvMapping
from warehouse.schema import apply_ddl


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file. Every writer goes through the ``duckdb`` pool (limit 1)."""

    path: str = Field(description="Absolute path of the DuckDB file.")
    lock_wait_s: float = Field(60.0, description="Seconds to wait for another process's write lock.")
    read_snapshot: bool = Field(True, description="Publish <name>.read.duckdb after each successful run.")
    memory_limit: str = Field("2GB", description="DuckDB memory limit of writer connections.")
    allocation_tag_keys: list[str] = Field(["service", "team"], description="Tag keys that become fct_cost columns.")

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection with the DDL applied; closed on exit so the next step can open the file."""
        with writer(self.path, wait_s=self.lock_wait_s, memory_limit=self.memory_limit) as conn:
            apply_ddl(conn)
            yield conn


class QualityResource(dg.ConfigurableResource):
    """Where great-expectations keeps validation results and builds its data docs."""

    docs_dir: str = Field(description="Absolute path of the GX project folder.")


class BucketSourceResource(dg.ConfigurableResource):
    """A bucket-shaped source: a local mirror of the prefix or ``s3://bucket/prefix`` read with boto3."""

    location: str
    region: str = "us-east-1"
    endpoint_url: str | None = None
    profile: str | None = None
    landing_dir: str
    aws_access_key_id: str | None = Field(None, description="Set only through dg.EnvVar; None = default chain.")
    aws_secret_access_key: str | None = Field(None, description="Set only through dg.EnvVar.")
    max_attempts: int = 8

    def store(self) -> ObjectStore:
        if not self.location.startswith("s3://"):
            return LocalStore(Path(self.location))
        bucket, prefix = parse_s3_uri(self.location)
        s3 = aws_client("s3", region=self.region, endpoint_url=self.endpoint_url, profile=self.profile,
                        access_key_id=self.aws_access_key_id, secret_access_key=self.aws_secret_access_key,
                        max_attempts=self.max_attempts)
        return S3Store(client=s3, bucket=bucket, prefix=prefix)


class AwsCurSourceResource(BucketSourceResource):
    """Where the Data Exports (CUR 2.0) deliveries are."""

    export_name: str

    def deliveries(self, store: ObjectStore) -> dict[str, cur_collector.CurDelivery]:
        """The newest delivery of every billing period found under the export's metadata/ prefix."""
        return cur_collector.latest_deliveries(cur_collector.find_deliveries(store, self.export_name))


class AwsCurLegacySourceResource(BucketSourceResource):
    """Legacy CUR reports; ``enabled`` is False when the configuration has no ``sources.aws_cur_legacy``."""

    enabled: bool = True
    report_prefix: str = ""
    report_name: str = ""

    def deliveries(self, store: ObjectStore) -> dict[str, cur_collector.CurDelivery]:
        """The current assembly of every billing period of the report."""
        return legacy_collector.legacy_deliveries(store, self.report_prefix, self.report_name)


class FocusSourceResource(BucketSourceResource):
    """A FOCUS export; ``enabled`` is False when the configuration has no ``sources.focus``."""

    enabled: bool = True
    export_name: str = ""
    layout: str = "data_exports"
    assume_currency: str | None = None

    def deliveries(self, store: ObjectStore) -> dict[str, cur_collector.CurDelivery]:
        """The newest delivery (or the period folder) of every billing period of the export."""
        return focus_collector.focus_deliveries(store, self.export_name, self.layout)


class GcpBillingSourceResource(BucketSourceResource):
    """The GCP billing export: exported files in a folder or under ``s3://bucket/prefix``, or a BigQuery table."""

    overlap_hours: float = 6.0
    bigquery_endpoint: str | None = None


class SpotPricesSourceResource(dg.ConfigurableResource):
    """EC2 spot price history: recorded pages in a folder, or the live API (``location: api``)."""

    location: str
    regions: list[str]
    instance_types: list[str]
    product_descriptions: list[str]
    overlap_hours: float = 6.0
    endpoint_url: str | None = None
    profile: str | None = None
    landing_dir: str
    aws_access_key_id: str | None = Field(None, description="Set only through dg.EnvVar; None = default chain.")
    aws_secret_access_key: str | None = Field(None, description="Set only through dg.EnvVar.")

    @property
    def live(self) -> bool:
        return self.location == "api"

    def ec2(self, region: str) -> Any:
        return aws_client("ec2", region=region, endpoint_url=self.endpoint_url, profile=self.profile,
                          access_key_id=self.aws_access_key_id, secret_access_key=self.aws_secret_access_key)


class GcpCatalogSourceResource(dg.ConfigurableResource):
    """GCP SKU prices: recorded pages in a folder, or the Cloud Billing Catalog API (``location: api``)."""

    location: str
    services: list[str]
    resource_families: list[str]
    currency: str = "USD"
    endpoint: str | None = None
    landing_dir: str


class TlsResource(dg.ConfigurableResource):
    """TLS settings of an https source; ``tls(log)`` builds the client context (warning when verification is off)."""

    verify_tls: bool = True
    ca_bundle: str | None = None

    def tls(self, what: str, warn: Callable[[str], object] | None = None) -> ssl.SSLContext:
        return client_context(self.verify_tls, self.ca_bundle, what=what, warn=warn)


class DcgmExporterResource(TlsResource):
    """dcgm-exporter targets to scrape (saved into the landing area) and a folder of saved scrapes."""

    location: str
    targets: list[str] = []
    timeout_s: float = 5.0
    nvml: bool = False
    landing_dir: str


class ServingSourceResource(TlsResource):
    """vLLM / Triton targets to scrape ({url: service}) and a folder of saved scrapes (one folder per service)."""

    location: str
    targets: dict[str, str] = {}
    timeout_s: float = 5.0
    landing_dir: str


class InventorySourceResource(dg.ConfigurableResource):
    """EC2 DescribeInstances ('api' or recorded pages) and a hosts CSV; AWS keys only as dg.EnvVar."""

    ec2: str | None = None
    ec2_regions: list[str] = ["us-east-1"]
    endpoint_url: str | None = None
    profile: str | None = None
    hosts_csv: str | None = None
    kubectl_nodes: str | None = None
    landing_dir: str
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None

    def ec2_client(self, region: str) -> Any:
        return aws_client("ec2", region=region, endpoint_url=self.endpoint_url, profile=self.profile,
                          access_key_id=self.aws_access_key_id, secret_access_key=self.aws_secret_access_key)


class PowerSourceResource(dg.ConfigurableResource):
    """BMS CSV files and Redfish snapshots under ``location``, live Redfish endpoints, the topology file.
    Redfish credentials only as dg.EnvVar (INFRALEDGER_REDFISH_USERNAME / INFRALEDGER_REDFISH_PASSWORD)."""

    location: str
    topology: str
    csv_glob: str = "bms/*.csv"
    csv_mapping: dict[str, Any] = {}
    redfish_endpoints: list[dict[str, Any]] = []
    redfish_username: str | None = None
    redfish_password: str | None = None
    landing_dir: str

    def mapping(self) -> CsvMapping:
        m = dict(self.csv_mapping)
        return CsvMapping(**{**m, "device": tuple(m.get("device", CsvMapping.device)),
                             "value": tuple(m.get("value", CsvMapping.value))})

    def transports(self) -> list[HttpTransport]:
        creds = Credentials(self.redfish_username, self.redfish_password)
        return [HttpTransport(e["url"], credentials=creds, auth=e.get("auth", "session"),
                              verify_tls=e.get("verify_tls", True), ca_bundle=e.get("ca_bundle"),
                              timeout_s=e.get("timeout_s", 10.0), retries=e.get("retries", 2))
                for e in self.redfish_endpoints]


class PrometheusSourceResource(TlsResource):
    """A live Prometheus (``http(s)://``) or a folder of saved query_range answers."""

    location: str
    metrics: list[str]
    step_s: int = 60
    max_points_per_request: int = 11_000
    timeout_s: float = 30.0
    landing_dir: str

    @property
    def live(self) -> bool:
        return self.location.startswith(("http://", "https://"))


def _bucket_kwargs(cfg: InfraledgerConfig, src: S3Location, access_key_id, secret_access_key) -> dict[str, object]:
    return dict(location=cfg.location(src.location), region=src.region, endpoint_url=src.endpoint_url,
                profile=src.profile, landing_dir=str(cfg.resolve(cfg.landing_dir)), max_attempts=src.max_attempts,
                aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key)


def build_billing_resources(cfg: InfraledgerConfig, *, access_key_id=None, secret_access_key=None,
                            redfish_username=None, redfish_password=None) -> dict[str, dg.ConfigurableResource]:
    """The billing source resources of a configuration (credentials only as dg.EnvVar or None)."""
    keys = (access_key_id, secret_access_key)
    src = cfg.sources
    landing = str(cfg.resolve(cfg.landing_dir))
    legacy = src.aws_cur_legacy
    focus = src.focus
    return {
        "aws_cur": AwsCurSourceResource(export_name=src.aws_cur.export_name, **_bucket_kwargs(cfg, src.aws_cur, *keys)),
        "aws_cur_legacy": (
            AwsCurLegacySourceResource(report_prefix=legacy.report_prefix, report_name=legacy.report_name,
                                       **_bucket_kwargs(cfg, legacy, *keys))
            if legacy else AwsCurLegacySourceResource(enabled=False, location="(not configured)", landing_dir=landing)
        ),
        "focus": (
            FocusSourceResource(export_name=focus.export_name, layout=focus.layout,
                                assume_currency=focus.assume_currency, **_bucket_kwargs(cfg, focus, *keys))
            if focus else FocusSourceResource(enabled=False, location="(not configured)", landing_dir=landing)
        ),
        "spot_prices": SpotPricesSourceResource(
            location=src.spot_prices.location if src.spot_prices.location == "api" else cfg.location(src.spot_prices.location),
            regions=src.spot_prices.regions, instance_types=src.spot_prices.instance_types,
            product_descriptions=src.spot_prices.product_descriptions, overlap_hours=src.spot_prices.overlap_hours,
            endpoint_url=src.spot_prices.endpoint_url, profile=src.spot_prices.profile, landing_dir=landing,
            aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key,
        ),
        "gcp_catalog": GcpCatalogSourceResource(
            location=src.gcp_catalog.location if src.gcp_catalog.location == "api" else cfg.location(src.gcp_catalog.location),
            services=src.gcp_catalog.services, resource_families=src.gcp_catalog.resource_families,
            currency=src.gcp_catalog.currency, endpoint=src.gcp_catalog.endpoint, landing_dir=landing,
        ),
        "prometheus": PrometheusSourceResource(
            location=cfg.location(src.prometheus.location), metrics=src.prometheus.metrics,
            step_s=src.prometheus.step_s, max_points_per_request=src.prometheus.max_points_per_request,
            timeout_s=src.prometheus.timeout_s, landing_dir=landing,
            verify_tls=src.prometheus.verify_tls, ca_bundle=src.prometheus.ca_bundle,
        ),
        "dcgm_exporter": DcgmExporterResource(
            location=cfg.location(src.dcgm_exporter.location), targets=src.dcgm_exporter.targets,
            timeout_s=src.dcgm_exporter.timeout_s, nvml=src.dcgm_exporter.nvml, landing_dir=landing,
            verify_tls=src.dcgm_exporter.verify_tls, ca_bundle=src.dcgm_exporter.ca_bundle,
        ),
        "serving": ServingSourceResource(
            location=cfg.location(src.serving.location), targets={t.url: t.service for t in src.serving.targets},
            timeout_s=src.serving.timeout_s, landing_dir=landing,
            verify_tls=src.serving.verify_tls, ca_bundle=src.serving.ca_bundle,
        ),
        "inventory": InventorySourceResource(
            ec2=None if src.inventory.ec2 is None else (
                src.inventory.ec2 if src.inventory.ec2 == "api" else cfg.location(src.inventory.ec2)),
            ec2_regions=src.inventory.ec2_regions, endpoint_url=src.inventory.endpoint_url,
            profile=src.inventory.profile,
            hosts_csv=cfg.location(src.inventory.hosts_csv) if src.inventory.hosts_csv else None,
            kubectl_nodes=cfg.location(src.inventory.kubectl_nodes) if src.inventory.kubectl_nodes else None, landing_dir=landing,
            aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key,
        ),
        "power": PowerSourceResource(
            location=cfg.location(src.power.location), topology=str(cfg.resolve(src.power.topology)),
            csv_glob=src.power.csv.glob, csv_mapping=src.power.csv.model_dump(exclude={"glob"}, exclude_none=True),
            redfish_endpoints=[e.model_dump(exclude_none=True) for e in src.power.redfish],
            redfish_username=redfish_username, redfish_password=redfish_password, landing_dir=landing,
        ),
        "gcp_billing": GcpBillingSourceResource(
            overlap_hours=src.gcp_billing.overlap_hours, bigquery_endpoint=src.gcp_billing.bigquery_endpoint,
            **_bucket_kwargs(cfg, src.gcp_billing, *keys),
        ),
    }
