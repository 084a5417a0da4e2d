"""Load and validate ``infraledger.yaml``; ``INFRALEDGER_<SECTION>_<KEY>`` environment variables override it.

Secrets never live here: credentials come from the environment (AWS default chain, Dagster ``EnvVar``).
An invalid file fails at start with a message naming the key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, Self, Union, get_args, get_origin

import dagster as dg
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipelines.budget_settings import BudgetSettings, read_budgets

ENV_PREFIX = "INFRALEDGER"
CONFIG_ENV = "INFRALEDGER_CONFIG"
DEFAULT_FILE = "infraledger.yaml"


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ResourceSettings(dg.Config):
    """Settings a Dagster resource holds as they are (the warehouse's, each source's): validated here from the YAML
    and given to the resource as one field of this type, so each setting is defined once. ``PATHS`` name the fields
    holding local paths."""

    model_config = ConfigDict(extra="forbid")
    PATHS: ClassVar[tuple[str, ...]] = ("location",)

    def resolved(self, resolve: Callable[[str], str]) -> Self:
        """A copy with every local path made absolute by ``resolve`` (URLs, s3://, bigquery:// and 'api' kept)."""
        local = {f: resolve(v) for f in self.PATHS
                 if isinstance(v := getattr(self, f, None), str) and v != "api" and "://" not in v}
        return self.model_copy(update=local)


def _location_ok(v: str) -> str:
    if not v or not v.strip():
        raise ValueError("must not be empty")
    if v.startswith("gs://"):
        raise ValueError("gs:// (Cloud Storage) is not read directly: copy the files to a local folder (gcloud storage "
                         "rsync) or, for the GCP billing export, use bigquery://project.dataset.table")
    if "://" in v and not v.startswith(("s3://", "http://", "https://", "bigquery://")):
        raise ValueError("must be a local folder, s3://bucket/prefix, http(s)://host or bigquery://project.dataset.table")
    return v


def _not_object_store(v: str) -> str:
    if v.startswith(("s3://", "bigquery://")):
        raise ValueError(f"{v.split('://')[0]}:// is not supported for this source: give a local folder (aws s3 sync "
                         "the prefix there first); s3:// works for aws_cur, aws_cur_legacy, focus and gcp_billing")
    return v


Location = Annotated[str, AfterValidator(_location_ok)]
# a source read from a local folder (or its own API / HTTP endpoint), never from an object store
LocalLocation = Annotated[str, AfterValidator(_location_ok), AfterValidator(_not_object_store)]


class WarehouseConfig(ResourceSettings):
    path: str = Field("data/warehouse.duckdb", description="The DuckDB file (created on first use).")
    engine: Literal["duckdb", "spark"] = Field(
        "duckdb", description="Where dbt builds staging, intermediate and marts: duckdb (the file above) or spark "
                              "(the raw layer published to lake.location as Parquet, the models built there by "
                              "dbt-spark; the loaders still do their per-file work in the file above).")
    lock_wait_s: float = Field(60.0, ge=0, description="How long a writer waits for another writer to finish.")
    memory_limit: str = Field("2GB", pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
                              description="DuckDB memory limit of the loaders' connections (beyond it, spill).")
    read_snapshot: bool = Field(True, description="After each successful run, copy the warehouse to "
                                                  "<name>.read.duckdb: `infraledger sql` answers from it while a run "
                                                  "writes.")
    PATHS: ClassVar[tuple[str, ...]] = ("path",)


class LakeConfig(ResourceSettings):
    location: str = Field("data/lake", description="The Parquet lake of warehouse.engine spark: raw/, audit/ and "
                                                   "quarantine/ published by infraledger, intermediate/ and marts/ "
                                                   "written by Spark; _spark/ holds Spark's catalog (a local folder).")

    @field_validator("location")
    @classmethod
    def _local_lake(cls, v: str) -> str:
        if "://" in v:
            raise ValueError("must be a local (or mounted) folder: the lake on s3:// is not supported yet "
                             "(docs/production.md says how a cluster would read it)")
        return v


class SparkConfig(ResourceSettings):
    master: str = Field("local[2]", description="Spark master URL (local[N] runs Spark inside the dbt process).")
    driver_memory: str = Field("2g", pattern=r"^\d+[kmgt]?$", description="spark.driver.memory of that process.")
    conf: dict[str, str] = Field(default_factory=dict, description="Further spark.* settings, as spark-defaults.conf "
                                                                   "takes them (e.g. spark.sql.shuffle.partitions).")
    thrift_server: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]+:\d{1,5}$",
                                      description="host:port of a running Spark Thrift Server: dbt builds there (its "
                                                  "spark_thrift target) instead of in-process; master, driver_memory "
                                                  "and conf are then the server's own (docs/production.md).")
    PATHS: ClassVar[tuple[str, ...]] = ()

    @field_validator("conf")
    @classmethod
    def _spark_keys(cls, conf: dict[str, str]) -> dict[str, str]:
        bad = [k for k in conf if not re.fullmatch(r"spark\.[A-Za-z0-9_.-]+", k)]
        if bad:
            raise ValueError(f"keys must be spark.* settings: {bad}")
        if any("\n" in str(v) for v in conf.values()):
            raise ValueError("values must be one line")
        return conf


class FleetConfig(ResourceSettings):
    """Fleet efficiency marts (passed to dbt as vars): what a cluster is, team GPU quotas, the training counters,
    and right-sizing's look-back, headroom and relative throughputs."""

    cluster_key: Literal["zone", "account", "instance_type", "provider"] = Field(
        "zone", description="fct_gpu_capacity_hourly's cluster: availability zone / on-prem site, account, "
                            "instance type (an instance group) or provider.")
    gpu_quotas: dict[str, float] = Field({}, description="GPUs each team (pod namespace) may hold at once.")
    training_step_metric: str = Field("training_steps_total", pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
    training_token_metric: str = Field("training_tokens_total", pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
    training_job_label: str = Field("job_name", pattern=r"^[a-zA-Z_][a-zA-Z0-9_]*$",
                                    description="The counters' label whose value is the job's workload name.")
    rightsizing_lookback_days: int = Field(14, ge=1)
    rightsizing_headroom: float = Field(0.8, gt=0, le=1)
    gpu_relative_throughput: dict[str, float] = Field(
        {"H100": 1.0, "H200": 1.0, "A100": 0.315, "L40S": 0.366, "L4": 0.122, "A10G": 0.071},
        description="Dense BF16 tensor throughput relative to an H100 SXM, per GPU model.")

    @field_validator("gpu_quotas", "gpu_relative_throughput")
    @classmethod
    def _plain_names(cls, values: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in values.items() if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", k) or v <= 0]
        if bad:
            raise ValueError(f"names must be letters, digits, '.', '_' or '-' and values positive: {bad}")
        return values

    def as_dbt_vars(self) -> dict[str, object]:
        return {"capacity_cluster_key": self.cluster_key, "gpu_quotas": dict(self.gpu_quotas),
                "training_step_metric": self.training_step_metric,
                "training_token_metric": self.training_token_metric, "training_job_label": self.training_job_label,
                "rightsizing_lookback_days": self.rightsizing_lookback_days,
                "rightsizing_headroom": self.rightsizing_headroom,
                "gpu_relative_throughput": dict(self.gpu_relative_throughput)}


class SchedulesConfig(_Strict):
    daily_ingestion_cron: str = Field("0 6 * * *", pattern=r"^\S+( \S+){4}$",
                                      description="When the daily ingestion runs (cron, 5 fields).")
    timezone: str = Field("UTC", description="Zone of the cron expressions (IANA name).")
    manifest_sensor_interval_s: int = Field(300, ge=30, description="How often the billing sensors list manifests.")


class QualityConfig(_Strict):
    docs_dir: str = Field("data/quality", description="great-expectations project: kept validation results and "
                                                      "the data docs site (gx/uncommitted/data_docs/local_site).")
    keep_results: int = Field(7, ge=1, description="Validation results kept per suite in the data docs (older ones are "
                                                   "removed as the suite runs again; every result stays in the "
                                                   "warehouse's audit.quality_* tables). GX reads every kept result "
                                                   "on each docs build, so this bounds a check's cost.")
    chunk_mib: float = Field(256, gt=0, description="Rows larger than this (MiB, as pandas holds them) are validated "
                                                    "in row chunks of about this size, their results merged into "
                                                    "one: a check's memory stays near a few times it at any "
                                                    "fleet size.")


class DagsterConfig(_Strict):
    home: str = Field("data/dagster_home", description="Persistent DAGSTER_HOME: run history, schedules, sensors.")


class AwsCurSource(ResourceSettings):
    location: Location = Field("data/samples/aws_cur", description="Local mirror of the export prefix, or s3://bucket/prefix.")
    export_name: str = "infraledger-cur2"
    region: str = "us-east-1"
    endpoint_url: str | None = Field(None, description="S3-compatible endpoint (tests, MinIO); None = AWS.")
    profile: str | None = None
    max_attempts: int = Field(8, ge=1, le=20, description="S3 calls are retried with backoff (throttling, 5xx).")


class S3Location(ResourceSettings):
    """Where a bucket-shaped source lives: a local mirror or ``s3://bucket/prefix``, and how to reach S3."""

    location: Location
    region: str = "us-east-1"
    endpoint_url: str | None = Field(None, description="S3-compatible endpoint (tests, MinIO); None = AWS.")
    profile: str | None = None
    max_attempts: int = Field(8, ge=1, le=20, description="S3 calls are retried with backoff (throttling, 5xx).")


class AwsCurLegacySource(S3Location):
    """Legacy Cost and Usage Reports: ``<location>/<report_prefix>/<report_name>/<yyyymmdd-yyyymmdd>/...``."""

    report_prefix: str = ""
    report_name: str


class FocusSource(S3Location):
    """A FOCUS export laid out like AWS Data Exports (manifest per billing period) or one folder per period."""

    export_name: str
    layout: str = Field("data_exports", pattern="^(data_exports|period_folders)$",
                        description="data_exports: <export>/metadata + data/BILLING_PERIOD=YYYY-MM; "
                                    "period_folders: <export>/YYYY-MM/*.csv|csv.gz|parquet")
    assume_currency: str | None = Field(None, description="BillingCurrency for files that lack the column.")


class GcpBillingSource(S3Location):
    """The GCP billing export: exported files (NDJSON, Parquet, CSV) in a folder or under ``s3://bucket/prefix``, or
    ``bigquery://project.dataset.table``."""

    location: Location = "data/samples/gcp_billing"
    overlap_hours: float = Field(6.0, ge=0, description="Re-read this far behind the export_time watermark.")
    bigquery_endpoint: str | None = Field(None, description="BigQuery API endpoint override (tests); None = Google.")


class SpotPricesSource(ResourceSettings):
    """EC2 spot price history: recorded response pages in a folder, or ``api`` (DescribeSpotPriceHistory)."""

    location: LocalLocation = Field("data/samples/spot_prices", description="A folder of recorded pages (<region>/<YYYY-MM-DD>/page-*.json) or 'api'.")
    regions: list[str] = ["us-east-1"]
    instance_types: list[str] = Field(["p5.48xlarge", "g5.12xlarge"], description="Empty = every type (large).")
    product_descriptions: list[str] = ["Linux/UNIX"]
    overlap_hours: float = Field(6.0, ge=0, description="Re-read this far behind the newest stored change.")
    endpoint_url: str | None = Field(None, description="EC2 endpoint override (tests); None = AWS.")
    profile: str | None = None


class GcpCatalogSource(ResourceSettings):
    """GCP SKU prices: recorded ``skus`` pages in a folder, or ``api`` (Cloud Billing Catalog API)."""

    location: LocalLocation = Field("data/samples/gcp_catalog", description="A folder of recorded skus pages, or 'api'.")
    services: list[str] = ["Compute Engine"]
    resource_families: list[str] = Field(["Compute"], description="Which SKUs to keep (Compute = GPUs and VMs).")
    currency: str = "USD"
    endpoint: str | None = Field(None, description="Catalog API endpoint override (tests); None = Google.")


class TlsSettings(ResourceSettings):
    """TLS for https targets: verified by default; ``verify_tls: false`` accepts any certificate (and warns)."""

    verify_tls: bool = Field(True, description="false accepts any certificate (logged as a warning on every use)")
    ca_bundle: str | None = Field(None, description="PEM file of the CA that signed the targets' certificates")


class DcgmExporterSource(TlsSettings):
    """dcgm-exporter: live ``targets`` scraped into the landing area, and/or a folder of saved scrapes."""

    location: LocalLocation = Field("data/samples/dcgm/metrics", description="A folder of saved scrapes (<host>/<YYYYMMDDTHHMMSSZ>.prom).")
    targets: list[str] = Field([], description="host, host:port or URL of each exporter (port 9400 by default).")
    timeout_s: float = Field(5.0, gt=0)
    nvml: bool = Field(False, description="Also sample this machine's GPUs through NVML (hosts without the exporter).")


class PrometheusSource(TlsSettings):
    """Metric history: ``http(s)://prometheus:9090`` (query_range) or a folder of saved answers
    (``<metric>/<YYYY-MM-DD>.json``)."""

    location: LocalLocation = "data/samples/prometheus/query_range"
    metrics: list[str] = Field(
        ["DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_PROF_SM_ACTIVE", "DCGM_FI_PROF_DRAM_ACTIVE", "DCGM_FI_DEV_FB_USED",
         "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "DCGM_FI_PROF_NVLINK_TX_BYTES", "DCGM_FI_PROF_NVLINK_RX_BYTES",
         "DCGM_FI_PROF_PCIE_TX_BYTES", "DCGM_FI_PROF_PCIE_RX_BYTES", "DCGM_FI_DEV_XID_ERRORS",
         "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "vllm:request_success_total",
         "vllm:prompt_tokens_total", "vllm:generation_tokens_total", "vllm:e2e_request_latency_seconds_bucket",
         "nv_inference_request_success", "nv_inference_request_failure", "nv_inference_count",
         "nv_inference_request_duration_us", "training_steps_total", "training_tokens_total"],
        description="Metrics to backfill from a live Prometheus (a folder holds its own).")
    step_s: int = Field(60, ge=1)
    max_points_per_request: int = Field(11_000, ge=2, description="Prometheus refuses more than 11,000 per series.")
    timeout_s: float = Field(30.0, gt=0)
    max_concurrent_requests: int = Field(
        4, ge=1, le=64, description="query_range requests in flight at once (each streams its answer to a file).")


class ServingTarget(ResourceSettings):
    """One inference server to scrape: its /metrics (host:port or URL) and the service it serves."""

    url: str = Field(description="host:port (port 8000 by default) or the full /metrics URL.")
    service: str = Field(min_length=1, description="The service its requests and cost belong to.")


class ServingSource(TlsSettings):
    """vLLM / Triton: live ``targets`` scraped into the landing area, and/or a folder of saved scrapes
    (``<service>/<target>/<YYYYMMDDTHHMMSSZ>.prom``). History of the same metrics comes through ``prometheus``."""

    location: LocalLocation = Field("data/samples/serving/metrics", description="A folder of saved scrapes, one folder per service.")
    targets: list[ServingTarget] = []
    timeout_s: float = Field(5.0, gt=0)


class InventorySource(ResourceSettings):
    """Which billed machine each telemetry host is: EC2 DescribeInstances and/or a hosts CSV (GKE nodes, on-prem)."""

    ec2: str | None = Field(None, description="'api' (DescribeInstances) or a folder of recorded pages "
                                              "(<region>/page-NNNN.json); None = not used.")
    ec2_regions: list[str] = ["us-east-1"]
    endpoint_url: str | None = Field(None, description="EC2 endpoint override (tests); None = AWS.")
    profile: str | None = None
    hosts_csv: LocalLocation | None = Field(None, description="hostname[,provider,resource_id,instance_type,zone,account]; "
                                                    "provider defaults to onprem, resource_id to the hostname")
    kubectl_nodes: LocalLocation | None = Field(None, description="A saved `kubectl get nodes -o json` (GKE, EKS, on-prem "
                                                        "nodes); None = not used.")
    PATHS: ClassVar[tuple[str, ...]] = ("ec2", "hosts_csv", "kubectl_nodes")


class RedfishEndpoint(ResourceSettings):
    """A Redfish service (PDU or BMC). Credentials come from INFRALEDGER_REDFISH_USERNAME / _PASSWORD."""

    url: str = Field(pattern=r"^https?://", description="https://pdu-a1-1.example (the service root is /redfish/v1)")
    auth: str = Field("session", pattern="^(basic|session|none)$")
    verify_tls: bool = Field(True, description="false accepts any certificate (logged as a warning)")
    ca_bundle: str | None = Field(None, description="PEM file of the CA that signed the service's certificate")
    timeout_s: float = Field(10.0, gt=0)
    retries: int = Field(2, ge=0)


class BmsCsvSource(ResourceSettings):
    """How to read the meter/BMS CSV: which column is what, the unit and the zone of naive timestamps."""

    glob: str = Field("bms/*.csv", description="Files under the power location.")
    timestamp: str = "timestamp"
    site: str = "site"
    room: str = "room"
    rack: str = "rack"
    device: list[str] = Field(["pdu", "meter"], description="Candidate device columns; the first present is used.")
    value: list[str] = Field(["kw", "kwh", "w", "wh", "mw", "mwh"], description="Candidate value columns.")
    unit: str | None = Field(None, pattern="^(?i:w|kw|mw|wh|kwh|mwh)$", description="None = the value column's name")
    timezone: str = Field("UTC", description="Zone of timestamps without an offset (IANA name).")


class PowerSource(ResourceSettings):
    """Facility power: a folder with the BMS CSV files and saved Redfish snapshots, live Redfish endpoints, and the
    topology file (sites, rooms, racks, PDUs, GPU hosts, meters, tariff)."""

    location: LocalLocation = Field("data/samples/power", description="Folder holding bms/*.csv and redfish/<YYYYMMDDTHHMMSSZ>/redfish/v1/...")
    topology: str = Field("data/samples/power/topology.yaml", description="The facility topology YAML file.")
    hardware_register: str | None = Field(
        "data/samples/power/hardware_register.csv",
        description="The on-prem hardware register CSV (asset, kind host|rack, purchase date, cost, depreciation "
                    "months, residual, support and space per month); None = on-prem hosts carry no cost.")
    csv: BmsCsvSource = BmsCsvSource()
    redfish: list[RedfishEndpoint] = []
    PATHS: ClassVar[tuple[str, ...]] = ("location", "topology", "hardware_register")


class SourcesConfig(_Strict):
    aws_cur: AwsCurSource = AwsCurSource()
    aws_cur_legacy: AwsCurLegacySource | None = Field(None, description="Legacy CUR reports; None = not used.")
    focus: FocusSource | None = Field(None, description="A FOCUS 1.0-1.2 export; None = not used.")
    gcp_billing: GcpBillingSource = GcpBillingSource(location="data/samples/gcp_billing")
    gcp_catalog: GcpCatalogSource = GcpCatalogSource(location="data/samples/gcp_catalog")
    spot_prices: SpotPricesSource = SpotPricesSource(location="data/samples/spot_prices")
    prometheus: PrometheusSource = PrometheusSource(location="data/samples/prometheus/query_range")
    dcgm_exporter: DcgmExporterSource = DcgmExporterSource(location="data/samples/dcgm/metrics")
    serving: ServingSource = ServingSource(location="data/samples/serving/metrics")
    power: PowerSource = PowerSource(location="data/samples/power")
    inventory: InventorySource = InventorySource(ec2="data/samples/inventory/ec2",
                                                 hosts_csv="data/samples/inventory/hosts.csv")


class InfraledgerConfig(_Strict):
    warehouse: WarehouseConfig = WarehouseConfig()
    lake: LakeConfig = LakeConfig()
    spark: SparkConfig = SparkConfig()
    fleet: FleetConfig = FleetConfig()
    dagster: DagsterConfig = DagsterConfig()
    quality: QualityConfig = QualityConfig()
    schedules: SchedulesConfig = SchedulesConfig()
    landing_dir: str = Field("data/landing", description="Where remote files are downloaded before loading.")
    samples_dir: str = Field("data/samples", description="Where `infraledger demo` writes its sample period.")
    billing_start_month: str = Field("2026-01", pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    allocation_tag_keys: list[str] = Field(["service", "team"], description="Tag/label keys that become columns.")
    budgets_file: str | None = Field("data/samples/budgets.yaml", description="A YAML list of monthly budgets; "
                                     "null = none. The default is the sample's (absent until a demo writes it).")

    @field_validator("allocation_tag_keys")
    @classmethod
    def _service_key_first_class(cls, keys: list[str]) -> list[str]:
        bad = [k for k in keys if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", k)]
        if bad:
            raise ValueError(f"tag keys must be letters, digits, '_' or '-': {bad}")
        if "service" not in keys:
            raise ValueError("must include 'service' (the marts allocate by it)")
        return keys
    sources: SourcesConfig = SourcesConfig()

    base_dir: Path = Field(default_factory=Path.cwd, exclude=True, description="Relative paths resolve here.")

    def resolve(self, p: str) -> Path:
        """An absolute path for a configured relative or absolute local path."""
        path = Path(p).expanduser()
        return path if path.is_absolute() else (self.base_dir / path).resolve()

    @property
    def warehouse_path(self) -> Path:
        return self.resolve(self.warehouse.path)

    @property
    def dagster_home(self) -> Path:
        return self.resolve(self.dagster.home)

    def location(self, loc: str) -> str:
        """A source location with local folders made absolute (URLs unchanged)."""
        return loc if "://" in loc else str(self.resolve(loc))

    def warehouse_settings(self) -> WarehouseConfig:
        """``warehouse:`` as configured, its path absolute (what the warehouse resource holds)."""
        return self.warehouse.resolved(lambda p: str(self.resolve(p)))

    def budgets(self) -> list[BudgetSettings]:
        """The budgets of ``budgets_file``: none when it is unset, or left at its default and absent; a
        ConfigError when a configured file is missing or invalid."""
        if self.budgets_file is None:
            return []
        path = self.resolve(self.budgets_file)
        if not path.exists():
            if "budgets_file" in self.model_fields_set:
                raise ConfigError(f"budgets_file {path} does not exist")
            return []
        try:
            return read_budgets(path)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None

    def source(self, name: str) -> ResourceSettings | None:
        """``sources.<name>`` as configured, its local paths made absolute (what its resource holds)."""
        settings = getattr(self.sources, name)
        return None if settings is None else settings.resolved(self.location)


def _env_overrides(model: type[BaseModel], prefix: str, env: dict[str, str]) -> dict[str, Any]:
    """Nested dict of overrides from ``PREFIX_FIELD[_SUBFIELD...]`` variables, following the model's shape."""
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        key = f"{prefix}_{name.upper()}"
        ann = field.annotation
        options = get_args(ann) if get_origin(ann) in (Union, UnionType) else (ann,)  # X | None, not list[X]
        models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
        if models:
            ann = models[0]
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            nested = _env_overrides(ann, key, env)
            if nested:
                out[name] = nested
        elif key in env:
            out[name] = yaml.safe_load(env[key]) if env[key] != "" else None
    return out


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for k, v in over.items():
        merged[k] = _deep_merge(merged[k], v) if isinstance(v, dict) and isinstance(merged.get(k), dict) else v
    return merged


def _format_error(exc: ValidationError, origin: str) -> str:
    lines = [f"invalid configuration ({origin}):"]
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        lines.append(f"  {key}: {err['msg']}")
    return "\n".join(lines)


def find_config_file(explicit: str | Path | None = None, env: dict[str, str] | None = None) -> Path | None:
    env = dict(os.environ) if env is None else env
    if explicit:
        return Path(explicit)
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    default = Path.cwd() / DEFAULT_FILE
    return default if default.exists() else None


def load_config(path: str | Path | None = None, env: dict[str, str] | None = None) -> InfraledgerConfig:
    """The effective configuration: defaults < YAML file < environment variables."""
    env = dict(os.environ) if env is None else env
    file = find_config_file(path, env)
    data: dict[str, Any] = {}
    origin = "defaults"
    if file is not None:
        if not file.exists():
            raise ConfigError(f"config file {file} does not exist")
        try:
            loaded = yaml.safe_load(file.read_text()) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"config file {file} is not valid YAML: {exc}") from exc
        if not isinstance(loaded, dict):
            raise ConfigError(f"config file {file} must hold a mapping at the top level")
        data = loaded
        origin = str(file)
    overrides = _env_overrides(InfraledgerConfig, ENV_PREFIX, env)
    if overrides:
        origin += " + environment"
    try:
        cfg = InfraledgerConfig.model_validate(_deep_merge(data, overrides))
    except ValidationError as exc:
        raise ConfigError(_format_error(exc, origin)) from None
    cfg.base_dir = file.resolve().parent if file is not None else Path.cwd()
    return cfg


def current_config() -> InfraledgerConfig:
    """The configuration the definitions are built from, read once per distinct setting (the file and its
    modification time, the ``INFRALEDGER_*`` variables, the working folder): building the definitions parses it
    once, however many modules ask. Treat it as read-only; the CLI's ``--config`` reaches it as INFRALEDGER_CONFIG."""
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX)))
    file = find_config_file(None, dict(env))
    stamp = file.stat().st_mtime_ns if file is not None and file.exists() else None
    return _read_once(str(file), stamp, str(Path.cwd()), env)


@lru_cache(maxsize=16)
def _read_once(file: str, stamp: int | None, cwd: str, env: tuple[tuple[str, str], ...]) -> InfraledgerConfig:
    return load_config(env=dict(env))
