"""One materialization of the whole graph on the sample month, shared by every end-to-end test that reads its
warehouse (building it per test cost a minute and a half each). Tests that change the warehouse (a second
materialization, which must be idempotent) use the same one; tests that need a warehouse of their own keep
``infraledger_env``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from pipelines.runner import RunSummary, materialize
from tests.conftest import point_at_samples
from tests.integration.webhook_receiver import WebhookReceiver

PARTITION = "2026-10-01"
SECRET_PATH = "/services/T0PLANTED/B0PLANTED/planted-webhook-token-e2e"
# a quota for the research namespace, so fct_gpu_team_usage_daily's quota columns are exercised
RESEARCH_QUOTA_GPUS = 5


@dataclass
class WholeGraph:
    root: Path
    warehouse: Path
    instance: dg.DagsterInstance
    summary: RunSummary
    receiver: WebhookReceiver


def materialize_all(instance: dg.DagsterInstance) -> RunSummary:
    """Every asset for the sample month, the way the CLI runs it (daily price feeds, then the month)."""
    from pipelines.definitions import defs

    [summary] = materialize(defs(), selection=None, partitions=[PARTITION], instance=instance)
    return summary


def whole_graph_settings(mp: pytest.MonkeyPatch, root: Path, sample_dir: Path, receiver: WebhookReceiver) -> Path:
    warehouse = point_at_samples(mp, root, sample_dir)
    # budget alerts go to a receiver that refuses them: the run still succeeds and the checks say so
    mp.setenv("INFRALEDGER_ALERT_WEBHOOK_URL", receiver.endpoint + SECRET_PATH)
    mp.setenv("INFRALEDGER_FLEET_GPU_QUOTAS", f"{{research: {RESEARCH_QUOTA_GPUS}}}")
    return warehouse


@pytest.fixture(scope="session")
def whole_graph(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Iterator[WholeGraph]:
    root = tmp_path_factory.mktemp("whole_graph")
    with dg.DagsterInstance.ephemeral() as instance, WebhookReceiver(status=503) as receiver:
        with pytest.MonkeyPatch.context() as mp:
            warehouse = whole_graph_settings(mp, root, sample_dir, receiver)
            summary = materialize_all(instance)
        yield WholeGraph(root, warehouse, instance, summary, receiver)


@pytest.fixture
def built(whole_graph: WholeGraph, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared warehouse, with the settings it was built with in force for the test."""
    assert whole_graph.summary.success, whole_graph.summary.failure_details
    whole_graph_settings(monkeypatch, whole_graph.root, sample_dir, whole_graph.receiver)
    return whole_graph.warehouse


@pytest.fixture
def instance(whole_graph: WholeGraph) -> dg.DagsterInstance:
    return whole_graph.instance
