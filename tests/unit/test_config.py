"""Configuration: defaults, YAML, environment overrides, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.config import ConfigError, load_config

pytestmark = pytest.mark.unit
REPO_ROOT = Path(__file__).resolve().parents[2]


def test_example_file_is_valid_and_complete() -> None:
    cfg = load_config(REPO_ROOT / "infraledger.example.yaml", env={})
    assert cfg.warehouse_path == (REPO_ROOT / "data" / "warehouse.duckdb").resolve()
    assert cfg.sources.aws_cur.export_name == "infraledger-cur2"


def test_env_overrides_yaml(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("warehouse:\n  path: w.duckdb\nsources:\n  aws_cur:\n    location: s3://bucket/cur\n")
    cfg = load_config(f, env={"INFRALEDGER_SOURCES_AWS_CUR_REGION": "eu-west-1"})
    assert cfg.warehouse_path == tmp_path / "w.duckdb"
    assert cfg.sources.aws_cur.location == "s3://bucket/cur"
    assert cfg.location(cfg.sources.aws_cur.location) == "s3://bucket/cur"
    assert cfg.sources.aws_cur.region == "eu-west-1"


@pytest.mark.parametrize(
    ("yaml_text", "key"),
    [
        ("warehouse:\n  pth: x\n", "warehouse.pth"),
        ("sources:\n  aws_cur:\n    location: ftp://x\n", "sources.aws_cur.location"),
        ("billing_start_month: 2026-13\n", "billing_start_month"),
        ("warehouse:\n  lock_wait_s: -1\n", "warehouse.lock_wait_s"),
        ("wharehouse:\n  path: x\n", "wharehouse"),                                    # unknown section
        ("sources:\n  dcgm_exporter:\n    verifytls: false\n", "sources.dcgm_exporter.verifytls"),
        ("sources:\n  dcgm_exporter:\n    verify_tls: maybe\n", "sources.dcgm_exporter.verify_tls"),
        ("sources:\n  serving:\n    targets: chat-api\n", "sources.serving.targets"),     # a list expected
        ("sources:\n  aws_cur:\n    max_attempts: 0\n", "sources.aws_cur.max_attempts"),
        ("quality:\n  docs_dir: [a, b]\n", "quality.docs_dir"),
        # object stores: gs:// is never read directly; s3:// only where a source reads S3
        ("sources:\n  gcp_billing:\n    location: gs://acme-billing/export\n", "sources.gcp_billing.location"),
        ("sources:\n  prometheus:\n    location: s3://acme/prom\n", "sources.prometheus.location"),
        ("sources:\n  power:\n    location: s3://acme/bms\n", "sources.power.location"),
        ("sources:\n  inventory:\n    hosts_csv: s3://acme/hosts.csv\n", "sources.inventory.hosts_csv"),
    ],
)
def test_invalid_config_names_the_key(tmp_path: Path, yaml_text: str, key: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(yaml_text)
    with pytest.raises(ConfigError, match=rf"{key}:"):
        load_config(f, env={})


def test_invalid_env_override_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"warehouse\.lock_wait_s:"):
        load_config(env={"INFRALEDGER_WAREHOUSE_LOCK_WAIT_S": "soon"})


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml", env={})
    bad = tmp_path / "bad.yaml"
    bad.write_text("warehouse: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad, env={})


def test_a_partial_section_keeps_the_other_defaults(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("sources:\n  dcgm_exporter:\n    verify_tls: false\n  power:\n    redfish: []\n")
    cfg = load_config(f, env={"INFRALEDGER_SOURCES_SERVING_TIMEOUT_S": "2"})
    assert cfg.sources.dcgm_exporter.location == "data/samples/dcgm/metrics"
    assert cfg.sources.dcgm_exporter.verify_tls is False
    assert cfg.sources.power.topology == "data/samples/power/topology.yaml"
    assert cfg.sources.serving.location == "data/samples/serving/metrics" and cfg.sources.serving.timeout_s == 2


def test_gcp_billing_reads_s3_and_keeps_the_uri_whole(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("sources:\n  gcp_billing:\n    location: s3://acme-billing/gcp-export\n    region: eu-west-1\n")
    cfg = load_config(f, env={})
    assert cfg.location(cfg.sources.gcp_billing.location) == "s3://acme-billing/gcp-export"  # not s3:/acme-billing
    assert cfg.sources.gcp_billing.region == "eu-west-1"


def test_an_unsupported_object_store_says_what_to_do(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("sources:\n  gcp_billing:\n    location: gs://acme-billing/export\n")
    with pytest.raises(ConfigError, match=r"gcloud storage rsync.*bigquery://"):
        load_config(f, env={})


def test_the_definitions_read_the_configuration_once_per_setting(tmp_path, monkeypatch) -> None:
    """current_config() parses once per distinct setting and sees a changed variable or file at once."""
    from pipelines.config import current_config

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INFRALEDGER_CONFIG", raising=False)
    monkeypatch.setenv("INFRALEDGER_BILLING_START_MONTH", "2025-03")
    first = current_config()
    assert current_config() is first and first.billing_start_month == "2025-03"
    monkeypatch.setenv("INFRALEDGER_BILLING_START_MONTH", "2025-04")
    assert current_config().billing_start_month == "2025-04"
    (tmp_path / "infraledger.yaml").write_text("billing_start_month: '2024-11'\n")
    monkeypatch.delenv("INFRALEDGER_BILLING_START_MONTH")
    assert current_config().billing_start_month == "2024-11"


def test_budgets_come_from_the_budgets_file_and_bad_ones_name_the_entry(tmp_path: Path) -> None:
    good = tmp_path / "budgets.yaml"
    good.write_text("- {name: all, scope: total, amount: 1000.50}\n"
                    "- {name: chat, scope: service, match: chat-api, amount: 10, basis: actual, warn_at_percent: 90}\n")
    budgets = load_config(env={"INFRALEDGER_BUDGETS_FILE": str(good)}).budgets()
    assert [(b.name, b.amount, b.currency, b.basis) for b in budgets] == [("all", "1000.5", "USD", "forecast"),
                                                                           ("chat", "10", "USD", "actual")]
    for text, words in (("- {name: all, scope: total, match: x, amount: 1}\n", "a total budget has no match"),
                        ("- {name: a, scope: service, amount: 1}\n", "needs one"),
                        ("- {name: a, scope: total, amount: 1}\n- {name: b, scope: team, match: t, amount: -5}\n",
                         "budget 2: amount"),
                        ("- {name: a, scope: total, amount: 1}\n- {name: a, scope: total, amount: 2}\n", "unique"),
                        ("name: a\n", "must hold a list")):
        good.write_text(text)
        with pytest.raises(ConfigError, match=words):
            load_config(env={"INFRALEDGER_BUDGETS_FILE": str(good)}).budgets()
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(env={"INFRALEDGER_BUDGETS_FILE": str(tmp_path / "nope.yaml")}).budgets()
    # the default (the sample's file) is optional: absent until a demo writes it
    assert load_config(env={}).budgets() == [] or (Path.cwd() / "data/samples/budgets.yaml").exists()


def test_fleet_settings_reach_dbt_as_vars_and_bad_ones_are_named(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("fleet:\n  cluster_key: account\n  gpu_quotas: {research: 12}\n")
    cfg = load_config(f, env={"INFRALEDGER_FLEET_TRAINING_JOB_LABEL": "training_kubeflow_org_job_name"})
    got = cfg.fleet.as_dbt_vars()
    assert got["capacity_cluster_key"] == "account" and got["gpu_quotas"] == {"research": 12.0}
    assert got["training_job_label"] == "training_kubeflow_org_job_name"
    assert got["gpu_relative_throughput"]["A100"] == 0.315  # defaults kept
    for text, key in (("fleet:\n  cluster_key: rack\n", "fleet.cluster_key"),
                      ("fleet:\n  gpu_quotas: {\"re search\": 4}\n", "fleet.gpu_quotas"),
                      ("fleet:\n  training_step_metric: \"steps; drop\"\n", "fleet.training_step_metric")):
        f.write_text(text)
        with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
            load_config(f, env={})
