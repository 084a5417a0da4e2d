"""One configuration schema: each source's resource holds the source's settings model as configured (local paths
made absolute), and declares none of its fields again."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.config import ResourceSettings, load_config
from pipelines.resources_impl import SOURCE_RESOURCES, build_source_resources

pytestmark = pytest.mark.unit


def test_every_source_resource_holds_its_settings_model_and_copies_no_field(tmp_path: Path) -> None:
    (tmp_path / "infraledger.yaml").write_text(
        "sources:\n  focus:\n    location: s3://acme/focus\n    export_name: f1\n"
        "  prometheus:\n    location: saved/answers\n    step_s: 30\n")
    cfg = load_config(tmp_path / "infraledger.yaml", env={})
    resources = build_source_resources(cfg)
    assert set(resources) == set(SOURCE_RESOURCES) == set(type(cfg.sources).model_fields)
    for key, resource in resources.items():
        configured = getattr(cfg.sources, key)
        if configured is None:
            assert resource.source is None and resource.enabled is False, key
            continue
        assert type(resource.source) is type(configured) and isinstance(resource.source, ResourceSettings), key
        copied = set(type(resource).model_fields) & set(type(configured).model_fields)
        assert copied == set(), (key, copied)
    prometheus = resources["prometheus"].source
    assert prometheus.location == str(tmp_path / "saved" / "answers") and prometheus.step_s == 30
    assert resources["focus"].source.location == "s3://acme/focus" and resources["focus"].enabled
    assert resources["power"].source.topology == str(tmp_path / "data/samples/power/topology.yaml")


def test_the_warehouse_resource_holds_the_warehouse_settings(tmp_path: Path) -> None:
    (tmp_path / "infraledger.yaml").write_text("warehouse:\n  path: wh/main.duckdb\n  memory_limit: 1GB\n")
    cfg = load_config(tmp_path / "infraledger.yaml", env={})
    from pipelines.resources_impl import WarehouseResource

    settings = cfg.warehouse_settings()
    resource = WarehouseResource(settings=settings, allocation_tag_keys=cfg.allocation_tag_keys)
    assert type(resource.settings) is type(cfg.warehouse) and resource.settings.memory_limit == "1GB"
    assert resource.path == str(tmp_path / "wh" / "main.duckdb") == str(cfg.warehouse_path)
    assert set(type(resource).model_fields) & set(type(cfg.warehouse).model_fields) == set()
