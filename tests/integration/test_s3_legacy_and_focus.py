"""Legacy CUR and FOCUS exports read from a real S3 API (moto on loopback) by their Dagster assets.

Legacy: a CSV.gz assembly named by the period manifest's reportKeys; a second assembly replaces the period.
FOCUS: the shared FOCUS 1.0 sample, re-dated into the sample month, delivered in the Data Exports layout.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.integration
BUCKET = "infraledger-legacy"
PARTITION = "2026-10-01"
_CATEGORIES = {"bill": "bill", "identity": "identity", "line_item": "lineItem", "pricing": "pricing",
               "product": "product", "reservation": "reservation", "savings_plan": "savingsPlan"}


@pytest.fixture
def s3(make_bucket):
    return make_bucket(BUCKET)


def _legacy_name(column: str) -> str | None:
    for snake, legacy in _CATEGORIES.items():
        if column.startswith(snake + "_"):
            attr = column.removeprefix(snake + "_")
            return f"{legacy}/" + "".join(p.capitalize() for p in attr.split("_"))
    return None


def _legacy_csv_gz(parquet_files: list[Path]) -> tuple[bytes, Decimal, int]:
    """CUR 2.0 rows rewritten the way the legacy report writes them; also their deduplicated total and count."""
    rows, seen = [], {}
    for f in parquet_files:
        for r in pq.read_table(f).to_pylist():
            out: dict[str, str] = {}
            for col, value in r.items():
                if col == "resource_tags":
                    out.update({f"resourceTags/{k.replace('user_', 'user:', 1)}": v for k, v in (value or [])})
                elif col in ("product", "cost_category", "discount"):
                    continue
                elif (name := _legacy_name(col)) is not None:
                    out[name] = value.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, datetime) else (
                        "" if value is None else str(value))
            rows.append(out)
            seen.setdefault((r["identity_line_item_id"], r["identity_time_interval"]), r["line_item_unblended_cost"])
    header = sorted({k for r in rows for k in r})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, restval="")
    writer.writeheader()
    writer.writerows(rows)
    total = sum((Decimal(repr(v)) for v in seen.values()), Decimal(0)).quantize(Decimal("1e-10"))
    return gzip.compress(buf.getvalue().encode()), total, len(seen)


def _deliveries(sample_dir: Path) -> list[list[Path]]:
    manifests = sorted((sample_dir / "aws_cur").rglob("*-Manifest.json"),
                       key=lambda p: json.loads(p.read_text())["deliveryTime"])
    return [[sample_dir / "aws_cur" / u.split("/cur/", 1)[1] for u in json.loads(m.read_text())["dataFiles"]]
            for m in manifests]


def _put_assembly(client, assembly: str, body: bytes) -> None:
    period = "legacy/my-report/20261001-20261101"
    key = f"{period}/{assembly}/my-report-1.csv.gz"
    client.put_object(Bucket=BUCKET, Key=key, Body=body)
    manifest = {"assemblyId": assembly, "reportName": "my-report", "compression": "GZIP", "contentType": "text/csv",
                "billingPeriod": {"start": "20261001T000000.000Z", "end": "20261101T000000.000Z"},
                "bucket": BUCKET, "reportKeys": [key], "columns": []}
    for where in (period, f"{period}/{assembly}"):
        client.put_object(Bucket=BUCKET, Key=f"{where}/my-report-Manifest.json", Body=json.dumps(manifest).encode())


def _materialize(key: list[str]) -> dg.ExecuteInProcessResult:
    from pipelines.definitions import defs

    job = defs().resolve_implicit_global_asset_job_def()
    return job.execute_in_process(partition_key=PARTITION, instance=dg.DagsterInstance.ephemeral(),
                                  asset_selection=[dg.AssetKey(key)])


def _one(wh: Path, sql: str) -> tuple:
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        return conn.execute(sql).fetchone()
    finally:
        conn.close()


def test_legacy_assembly_replaces_the_period_over_s3(s3, moto_endpoint: str, sample_dir: Path,
                                                     infraledger_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_LEGACY_LOCATION", f"s3://{BUCKET}")
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_LEGACY_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_LEGACY_REPORT_PREFIX", "legacy")
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_LEGACY_REPORT_NAME", "my-report")
    first, second = _deliveries(sample_dir)
    body1, total1, rows1 = _legacy_csv_gz(first)
    body2, total2, rows2 = _legacy_csv_gz(second)

    _put_assembly(s3, "assembly-1", body1)
    result = _materialize(["raw", "aws_cur_legacy_line_items"])
    assert result.success
    meta = result.get_asset_materialization_events()[0].materialization.metadata
    assert meta["manifest"].value == f"s3://{BUCKET}/legacy/my-report/20261001-20261101/my-report-Manifest.json"
    assert "testing-secret-never-logged" not in json.dumps({k: str(v.value) for k, v in meta.items()})
    sql = ("select count(*), sum(cast(line_item_unblended_cost as decimal(38, 10))), "
           "count(*) filter (resource_tags['user_service'] is not null) from raw.aws_cur_legacy_line_items")
    count, total, tagged = _one(infraledger_env, sql)
    assert (count, total) == (rows1, total1)
    assert tagged > 0  # resourceTags/user:service became the resource_tags map

    _put_assembly(s3, "assembly-2", body2)
    assert _materialize(["raw", "aws_cur_legacy_line_items"]).success
    assert _one(infraledger_env, sql)[:2] == (rows2, total2) != (rows1, total1)
    dupes = _one(infraledger_env, "select count(*) from quarantine.aws_cur_legacy_line_items "
                                  "where reason like 'duplicate line item%'")[0]
    assert dupes > 0


def test_focus_export_in_data_exports_layout_over_s3(s3, moto_endpoint: str, shared_data: Path,
                                                     infraledger_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFRALEDGER_SOURCES_FOCUS_LOCATION", f"s3://{BUCKET}/focus")
    monkeypatch.setenv("INFRALEDGER_SOURCES_FOCUS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("INFRALEDGER_SOURCES_FOCUS_EXPORT_NAME", "focus-export")
    text = (shared_data / "focus/FOCUS-1.0/focus_sample.csv").read_text()
    text = text.replace('"2024-09-', '"2026-10-').replace('"2024-10-', '"2026-11-')
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for r in csv.DictReader(io.StringIO(text)):
        if r["BillingPeriodStart"].startswith("2026-10"):
            expected[r["ProviderName"]] += Decimal(r["BilledCost"])
    data_key = "focus/focus-export/data/BILLING_PERIOD=2026-10/exec-1/focus-export-00001.csv.gz"
    s3.put_object(Bucket=BUCKET, Key=data_key, Body=gzip.compress(text.encode()))
    manifest = {"executionId": "exec-1", "billingPeriod": {"start": "2026-10-01T00:00:00Z"},
                "deliveryTime": "2026-10-15T00:00:00Z", "dataFiles": [f"s3://{BUCKET}/{data_key}"], "rowCount": 1000}
    s3.put_object(Bucket=BUCKET, Key="focus/focus-export/metadata/BILLING_PERIOD=2026-10/exec-1/focus-export-Manifest.json",
                  Body=json.dumps(manifest).encode())

    result = _materialize(["raw", "focus_cost_rows"])
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"rows_accounted_for": True, "matches_manifest_row_count": True, "gx_suite": True}
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        got = dict(conn.execute("select provider_name, sum(billed_cost) from raw.focus_cost_rows group by 1").fetchall())
        quarantined = conn.execute("select count(*) from quarantine.focus_cost_rows").fetchone()[0]
    finally:
        conn.close()
    assert {k: v.quantize(Decimal("0.01")) for k, v in got.items()} == \
        {k: v.quantize(Decimal("0.01")) for k, v in expected.items()}
    assert quarantined == 1
