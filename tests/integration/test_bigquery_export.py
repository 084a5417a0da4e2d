"""The GCP billing export read from BigQuery (google-cloud-bigquery against a loopback REST server), incrementally.

First run: every row. Then late rows arrive (a newer export_time); the second run asks only for rows at or after
the loaded watermark minus the overlap, appends the late ones and skips the re-read ones.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.integration.bigquery_loopback import FakeBigQuery

pytestmark = pytest.mark.integration
GCP_KEY = dg.AssetKey(["raw", "gcp_billing_export"])


def _rows(sample_dir: Path) -> list[dict]:
    return [json.loads(line) for f in sorted((sample_dir / "gcp_billing").rglob("*.ndjson"))
            for line in f.read_text().splitlines()]


def _net(rows: list[dict]) -> Decimal:
    return sum((Decimal(repr(r["cost"])) + sum((Decimal(repr(c["amount"])) for c in r["credits"]), Decimal(0))
                for r in rows), Decimal(0))


def _materialize() -> dg.ExecuteInProcessResult:
    from pipelines.definitions import defs

    job = defs().resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=[GCP_KEY])


def _raw(wh: Path) -> tuple[int, Decimal]:
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        return conn.execute("select count(*), sum(cost + credits_amount) from raw.gcp_billing_export").fetchone()
    finally:
        conn.close()


def test_incremental_reads_by_export_time_with_overlap(sample_dir: Path, infraledger_env: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    rows = sorted(_rows(sample_dir), key=lambda r: r["export_time"])
    cut = rows[-1]["export_time"][:10]  # the last export day arrives late
    early = [r for r in rows if r["export_time"][:10] < cut]
    late = [r for r in rows if r["export_time"][:10] >= cut]
    assert early and late

    with FakeBigQuery(early, page_size=100) as bq:
        monkeypatch.setenv("INFRALEDGER_SOURCES_GCP_BILLING_LOCATION", "bigquery://p.billing.gcp_billing_export_v1")
        monkeypatch.setenv("INFRALEDGER_SOURCES_GCP_BILLING_BIGQUERY_ENDPOINT", bq.endpoint)
        monkeypatch.setenv("INFRALEDGER_SOURCES_GCP_BILLING_OVERLAP_HOURS", "6")

        assert _materialize().success
        assert _raw(infraledger_env) == (len(early), _net(early).quantize(Decimal("1e-10")))
        first_query = bq.requests[0]
        assert first_query["path"] == "/bigquery/v2/projects/p/queries"
        assert "WHERE export_time >= @since" in first_query["body"]["query"]
        assert any(r["method"] == "GET" for r in bq.requests)  # more than one page: the client paged

        bq.rows.extend(late)
        assert _materialize().success
        watermark = max(dt.datetime.strptime(r["export_time"], "%Y-%m-%d %H:%M:%S UTC") for r in early)
        lower = watermark - dt.timedelta(hours=6)
        second = bq.sent_rows[-1]
        # the second call returned only rows at or after watermark - overlap: the late ones and the overlap
        assert all(dt.datetime.strptime(r["export_time"], "%Y-%m-%d %H:%M:%S UTC") >= lower for r in second)
        assert len(second) < len(rows) and all(r in second for r in late)
        assert _raw(infraledger_env) == (len(rows), _net(rows).quantize(Decimal("1e-10")))

        conn = duckdb.connect(str(infraledger_env), read_only=True)
        try:
            audit = conn.execute("select rows_read, rows_loaded, message from audit.loads where source = 'gcp_billing' "
                                 "order by started_at").fetchall()
        finally:
            conn.close()
        assert audit[1][0] == len(second) and audit[1][1] == len(late)
        assert json.loads(audit[1][2])["rows_already_loaded"] == len(second) - len(late)
