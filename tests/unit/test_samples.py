"""Sample data: reproducible bytes, and the dirt the loaders must survive is really there."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from collectors.samples.writer import write_samples

pytestmark = pytest.mark.unit


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_samples(a, start=date(2026, 10, 1), days=1, seed=7)
    write_samples(b, start=date(2026, 10, 1), days=1, seed=7)
    write_samples(c, start=date(2026, 10, 1), days=1, seed=8)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


def test_every_source_is_written_in_its_wire_format(sample_dir: Path) -> None:
    manifests = sorted((sample_dir / "aws_cur").rglob("*-Manifest.json"))
    assert len(manifests) == 2  # a first delivery and a restatement
    doc = json.loads(manifests[-1].read_text())
    assert {"executionId", "billingPeriod", "dataFiles"} <= doc.keys()
    table = pq.read_table(sample_dir / "aws_cur" / doc["dataFiles"][0].split("/cur/", 1)[1])
    assert str(table.schema.field("resource_tags").type).startswith("map<")
    gcp_line = next((sample_dir / "gcp_billing").rglob("*.ndjson")).read_text().splitlines()[0]
    assert {"export_time", "cost", "credits", "usage", "sku"} <= json.loads(gcp_line).keys()
    spot = json.loads(next((sample_dir / "spot_prices").rglob("page-0001.json")).read_text())
    assert "SpotPriceHistory" in spot and "NextToken" in spot
    prom = next((sample_dir / "dcgm" / "metrics").rglob("*.prom")).read_text()
    assert "# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter" in prom
    qr = json.loads((sample_dir / "prometheus" / "query_range" / "DCGM_FI_DEV_POWER_USAGE" / "2026-10-01.json").read_text())
    assert qr["data"]["resultType"] == "matrix" and isinstance(qr["data"]["result"][0]["values"][0][1], str)
    vllm = next((sample_dir / "serving" / "metrics").rglob("*.prom")).read_text()
    assert 'vllm:e2e_request_latency_seconds_bucket{' in vllm and 'le="+Inf"' in vllm
    assert (sample_dir / "power" / "bms" / "meter-readings-2026-10-01.csv").read_text().startswith(
        "timestamp,site,room,rack,meter,kw")
    assert list((sample_dir / "power" / "redfish").rglob("Mains/AC1/index.json"))


def test_dirt_is_present(sample_dir: Path) -> None:
    latest = sorted((sample_dir / "aws_cur").rglob("*-Manifest.json"))[-1]
    files = [sample_dir / "aws_cur" / u.split("/cur/", 1)[1] for u in json.loads(latest.read_text())["dataFiles"]]
    rows = [r for f in files for r in pq.read_table(f, columns=["identity_line_item_id", "identity_time_interval"]).to_pylist()]
    keys = [(r["identity_line_item_id"], r["identity_time_interval"]) for r in rows]
    assert len(keys) - len(set(keys)) > 0, "the restated delivery must contain duplicate line items"
    energy = json.loads((sample_dir / "prometheus" / "query_range" / "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"
                         / "2026-10-02.json").read_text())
    drops = [s for s in energy["data"]["result"]
             if any(float(b[1]) < float(a[1]) for a, b in zip(s["values"], s["values"][1:]))]
    assert drops, "one energy counter must reset"
    dram = (sample_dir / "prometheus" / "query_range" / "DCGM_FI_PROF_DRAM_ACTIVE" / "2026-10-01.json").read_text()
    assert '"NaN"' in dram
