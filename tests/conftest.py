"""Shared fixtures: the shared public data folder, a sample period, and a temporary warehouse environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from collectors.samples.writer import write_samples

# Property tests: a fixed, derandomized search under CI (the same examples every run, so CI never flakes on a new one);
# a random search locally, where a failure found becomes a plain regression test (an @example).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", derandomize=False)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_START = date(2026, 10, 1)
SAMPLE_DAYS = 3


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the checkout: skipped with a reason where absent, a failure under CI=true."""
    folder = REPO_ROOT.parent / "shared" / "data"
    if not folder.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"shared data folder {folder} is missing under CI=true")
        pytest.skip(f"shared data folder {folder} is absent (real public sample files live there)")
    return folder


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-day sample period for every source (seed 42)."""
    out = tmp_path_factory.mktemp("samples") / "samples"
    write_samples(out, start=SAMPLE_START, days=SAMPLE_DAYS, seed=42)
    return out


def point_at_samples(mp: pytest.MonkeyPatch, root: Path, sample_dir: Path) -> Path:
    """Set every setting to a warehouse, landing area and Dagster home under ``root`` and the sample period's
    sources (through ``mp``, so it is undone with it); returns the warehouse path."""
    warehouse = root / "warehouse.duckdb"
    mp.delenv("INFRALEDGER_CONFIG", raising=False)
    mp.chdir(root)
    mp.setenv("INFRALEDGER_WAREHOUSE_PATH", str(warehouse))
    mp.setenv("INFRALEDGER_LANDING_DIR", str(root / "landing"))
    mp.setenv("INFRALEDGER_DAGSTER_HOME", str(root / "dagster_home"))
    mp.setenv("INFRALEDGER_SOURCES_AWS_CUR_LOCATION", str(sample_dir / "aws_cur"))
    mp.setenv("INFRALEDGER_SOURCES_GCP_BILLING_LOCATION", str(sample_dir / "gcp_billing"))
    mp.setenv("INFRALEDGER_SOURCES_SPOT_PRICES_LOCATION", str(sample_dir / "spot_prices"))
    mp.setenv("INFRALEDGER_SOURCES_GCP_CATALOG_LOCATION", str(sample_dir / "gcp_catalog"))
    mp.setenv("INFRALEDGER_SOURCES_DCGM_EXPORTER_LOCATION", str(sample_dir / "dcgm" / "metrics"))
    mp.setenv("INFRALEDGER_SOURCES_PROMETHEUS_LOCATION", str(sample_dir / "prometheus" / "query_range"))
    mp.setenv("INFRALEDGER_SOURCES_SERVING_LOCATION", str(sample_dir / "serving" / "metrics"))
    mp.setenv("INFRALEDGER_SOURCES_INVENTORY_EC2", str(sample_dir / "inventory" / "ec2"))
    mp.setenv("INFRALEDGER_SOURCES_INVENTORY_HOSTS_CSV", str(sample_dir / "inventory" / "hosts.csv"))
    mp.setenv("INFRALEDGER_SOURCES_POWER_LOCATION", str(sample_dir / "power"))
    mp.setenv("INFRALEDGER_SOURCES_POWER_TOPOLOGY", str(sample_dir / "power" / "topology.yaml"))
    mp.setenv("INFRALEDGER_SOURCES_POWER_HARDWARE_REGISTER", str(sample_dir / "power" / "hardware_register.csv"))
    mp.setenv("INFRALEDGER_BUDGETS_FILE", str(sample_dir / "budgets.yaml"))
    return warehouse


@pytest.fixture
def infraledger_env(tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every setting at a temporary warehouse and the sample period; returns the warehouse path."""
    yield point_at_samples(monkeypatch, tmp_path, sample_dir)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Groups for pytest-xdist (``--dist loadgroup``, set in pyproject): every test that reads the shared whole-graph
    build runs on one worker, so the graph is materialized once; every other module stays on one worker, so its
    module-scoped fixtures (a dbt build, a moto server) are made once. It runs before xdist's own hook, which reads
    the marks into the node ids. (With pytest 9.2 xdist 3.8 could not write them: no test was grouped, the whole graph
    was built on both workers and a module's fixtures again each time a worker came back to it; pyproject pins
    pytest < 9.2.)"""
    for item in items:
        shares_the_build = "whole_graph" in item.fixturenames
        group = "whole_graph" if shares_the_build else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
        if shares_the_build:  # the shared build alone is a minute of materializing the whole graph
            item.add_marker(pytest.mark.slow)
