"""CUR 2.0 from a real S3 API (moto server on loopback, boto3 over HTTP): a restatement replaces the period."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.cur_totals import dedup_total

pytestmark = pytest.mark.integration
BUCKET = "infraledger-billing"


@pytest.fixture
def s3(make_bucket):
    return make_bucket(BUCKET)


def _delivery_files(sample_dir: Path) -> list[list[Path]]:
    """Each delivery's manifest followed by its data files, oldest delivery first."""
    manifests = sorted((sample_dir / "aws_cur").rglob("*-Manifest.json"),
                       key=lambda p: json.loads(p.read_text())["deliveryTime"])
    out = []
    for m in manifests:
        data = [sample_dir / "aws_cur" / u.split("/cur/", 1)[1] for u in json.loads(m.read_text())["dataFiles"]]
        out.append([m, *data])
    return out


def _upload(client, sample_dir: Path, files: list[Path]) -> None:
    for f in files:
        client.upload_file(str(f), BUCKET, "cur/" + f.relative_to(sample_dir / "aws_cur").as_posix())


def _dedup_total(files: list[Path]) -> Decimal:
    return dedup_total(files)[1].quantize(Decimal("1e-10"))


def _load_raw() -> dg.ExecuteInProcessResult:
    from pipelines.definitions import defs

    job = defs().resolve_implicit_global_asset_job_def()
    return job.execute_in_process(partition_key="2026-10-01", instance=dg.DagsterInstance.ephemeral(),
                                  asset_selection=[dg.AssetKey(["raw", "aws_cur_line_items"])])


def test_restated_delivery_replaces_period_over_s3(s3, moto_endpoint: str, sample_dir: Path, infraledger_env: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_LOCATION", f"s3://{BUCKET}/cur")
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_ENDPOINT_URL", moto_endpoint)
    first, second = _delivery_files(sample_dir)

    _upload(s3, sample_dir, first)
    result = _load_raw()
    assert result.success
    mats = result.get_asset_materialization_events()
    meta = mats[0].materialization.metadata
    assert meta["manifest"].value.startswith(f"s3://{BUCKET}/cur/")
    assert "testing-secret-never-logged" not in json.dumps({k: str(v.value) for k, v in meta.items()})

    def raw_total() -> Decimal:
        conn = duckdb.connect(str(infraledger_env), read_only=True)
        try:
            return conn.execute("select sum(cast(line_item_unblended_cost as decimal(38,10))) "
                                "from raw.aws_cur_line_items").fetchone()[0]
        finally:
            conn.close()

    assert raw_total() == _dedup_total(first[1:])

    _upload(s3, sample_dir, second)
    assert _load_raw().success
    assert raw_total() == _dedup_total(second[1:])
    assert raw_total() != _dedup_total(first[1:])
    # files were downloaded into the landing area, keyed by bucket and key
    assert list((infraledger_env.parent / "landing" / BUCKET).rglob("*.parquet"))
