"""Bad billing input: every loader either fails naming the file (nothing half-loaded) or quarantines the bad rows
with a reason and loads every valid row. Inputs are written here byte by byte."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from collectors.samples.aws_cur import SCHEMA, _line
from warehouse.connection import writer
from warehouse.loaders.aws_cur import CurFileError, load_cur_delivery
from warehouse.loaders.aws_cur_legacy import load_legacy_cur_delivery
from warehouse.loaders.focus import FocusFileError, FocusSchemaError, load_focus_delivery
from warehouse.loaders.gcp_billing import GcpFileError, load_gcp_export_files
from warehouse.schema import ensure_warehouse

pytestmark = pytest.mark.unit

LEGACY_HEADER = ("identity/LineItemId,identity/TimeInterval,bill/BillingPeriodStartDate,lineItem/LineItemType,"
                 "lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/UnblendedCost,lineItem/CurrencyCode")
FOCUS_HEADER = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ProviderName"


def _legacy_row(i: int, cost: str, currency: str = "USD") -> str:
    return (f"li-{i},2026-10-01T0{i % 10}:00:00Z/2026-10-01T0{i % 10}:59:59Z,2026-10-01T00:00:00Z,Usage,"
            f"2026-10-01T0{i % 10}:00:00Z,2026-10-01T0{i % 10}:59:59Z,{cost},{currency}")


@pytest.fixture
def conn(tmp_path: Path):
    wh = ensure_warehouse(tmp_path / "w.duckdb")
    with writer(wh) as c:
        yield c


def _rows(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    return conn.execute(f"select count(*) from {table}").fetchone()[0]


def _reasons(conn: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r for r, in conn.execute(f"select reason from {table} order by source_row").fetchall()]


# --- files that cannot be read at all: a clear error naming the file, and the previous load untouched -------------

def test_truncated_parquet_names_the_file_and_keeps_the_previous_load(conn, tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    pq.write_table(_table([_cur_row(0, 1.0)]), good)
    load_cur_delivery(conn, billing_period="2026-10", delivery_id="d1", files=[good])
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(good.read_bytes()[:-40])
    with pytest.raises(CurFileError, match="cut.parquet"):
        load_cur_delivery(conn, billing_period="2026-10", delivery_id="d2", files=[cut])
    assert _rows(conn, "raw.aws_cur_line_items") == 1
    assert conn.execute("select status from audit.loads order by started_at").fetchall() == [("success",), ("failed",)]


@pytest.mark.parametrize("loader", ["legacy", "focus", "gcp"])
def test_corrupt_gzip_names_the_file(conn, tmp_path: Path, loader: str) -> None:
    body = gzip.compress((LEGACY_HEADER + "\n" + _legacy_row(1, "1.0") + "\n").encode())
    name = {"legacy": "report-1.csv.gz", "focus": "focus.csv.gz", "gcp": "export.ndjson.gz"}[loader]
    bad = tmp_path / name
    bad.write_bytes(body[: len(body) // 2])
    with pytest.raises((ValueError,), match=name) as info:
        _load(conn, loader, [bad])
    assert "gzip" in str(info.value).lower() or "GZIP" in str(info.value)


@pytest.mark.parametrize("loader", ["cur2", "legacy", "focus", "gcp"])
def test_empty_file_names_the_file(conn, tmp_path: Path, loader: str) -> None:
    empty = tmp_path / {"cur2": "e.parquet", "legacy": "e.csv.gz", "focus": "e.csv", "gcp": "e.ndjson"}[loader]
    empty.write_bytes(b"")
    with pytest.raises((CurFileError, FocusFileError, GcpFileError), match=re.escape(empty.name) + r" is empty \(0 bytes\)"):
        _load(conn, loader, [empty])


def test_focus_file_without_a_required_column_names_it(conn, tmp_path: Path) -> None:
    f = tmp_path / "focus.csv"
    f.write_text("BilledCost,BillingPeriodStart,ChargePeriodStart,ChargeCategory\n1,2026-10-01,2026-10-01,Usage\n")
    with pytest.raises(FocusSchemaError, match="focus.csv.*billing_currency"):
        _load(conn, "focus", [f])


# --- files with some bad rows: the bad rows quarantined with the reason, every valid row loaded ------------------

def test_legacy_csv_with_a_malformed_row_and_non_utf8_bytes(conn, tmp_path: Path) -> None:
    lines = [LEGACY_HEADER, _legacy_row(1, "1.25"), _legacy_row(2, "2.50") + ",surplus-field",
             _legacy_row(3, "3.75"), _legacy_row(4, "4.00").replace("Usage", "Us\xe9age"), _legacy_row(5, "abc")]
    f = tmp_path / "report-1.csv.gz"
    f.write_bytes(gzip.compress("\n".join(lines[:4]).encode() + b"\n" + lines[4].encode("latin-1") + b"\n"
                                + lines[5].encode() + b"\n"))
    result = load_legacy_cur_delivery(conn, billing_period="2026-10", delivery_id="a1", files=[f])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 2, 3)
    total = conn.execute("select sum(cast(line_item_unblended_cost as decimal(38, 10))) "
                         "from raw.aws_cur_legacy_line_items").fetchone()[0]
    assert total == Decimal("5.00")
    reasons = _reasons(conn, "quarantine.aws_cur_legacy_line_items")
    assert any("TOO MANY COLUMNS" in r and "line 3" in r for r in reasons)
    assert any("INVALID ENCODING" in r and "line 5" in r for r in reasons)
    assert any("line_item_unblended_cost: value not readable" in r for r in reasons)


def test_focus_csv_with_bad_rows(conn, tmp_path: Path) -> None:
    f = tmp_path / "focus.csv"
    f.write_text("\n".join([
        FOCUS_HEADER,
        "1.50,1.50,USD,2026-10-01 00:00:00,2026-10-02 00:00:00,Usage,AWS",
        "NULL,1.00,USD,2026-10-01 00:00:00,2026-10-02 00:00:00,Usage,AWS",      # no billed cost
        "2.00,2.00,USD,2026-10-01 00:00:00,not-a-time,Usage,AWS",               # unreadable charge period
        "3.00,3.00,USD,2026-10-01 00:00:00,2026-10-03 00:00:00,Bonus,AWS",      # not a FOCUS charge category
        "4.00,4.00,USD,2026-10-01 00:00:00,2026-10-03 00:00:00,usage,AWS,extra",  # one field too many
        "5.00,5.00,USD,2026-10-01T00:00:00Z,2026-10-04T00:00:00Z,Credit,AWS",
    ]) + "\n")
    result = load_focus_delivery(conn, export_name="x", billing_period="2026-10", delivery_id="d", files=[f])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 2, 4)
    assert conn.execute("select sum(billed_cost) from raw.focus_cost_rows").fetchone()[0] == Decimal("6.50")
    reasons = " | ".join(_reasons(conn, "quarantine.focus_cost_rows"))
    for expected in ("billed_cost missing", "charge_period_start missing or unreadable",
                     "charge_category Bonus is not FOCUS", "TOO MANY COLUMNS"):
        assert expected in reasons


def test_gcp_ndjson_with_bad_lines(conn, tmp_path: Path) -> None:
    good = {"billing_account_id": "A", "cost": 1.5, "currency": "USD", "usage_start_time": "2026-10-01 00:00:00 UTC",
            "export_time": "2026-10-01 05:00:00 UTC", "invoice": {"month": "202610"},
            "credits": [{"amount": -0.5, "type": "PROMOTION"}], "sku": {"id": "S1", "description": "x"}}
    f = tmp_path / "export.ndjson"
    f.write_bytes(b"\n".join([
        json.dumps(good).encode(),
        b'{"cost": 2.0, "currency": "USD", truncated',
        json.dumps({**good, "cost": None, "sku": {"id": "S2"}}).encode(),
        json.dumps({**good, "sku": {"id": "S3", "description": "caf\xe9"}}).encode()[:-2] + b"\xff\"}}",
        b"",
        json.dumps({**good, "sku": {"id": "S4", "description": "y"}, "invoice": {"month": "2026-10"}}).encode(),
        json.dumps({**good, "sku": {"id": "S5", "description": "z"}, "cost": 2.25}).encode(),
    ]) + b"\n")
    result = load_gcp_export_files(conn, table_name="t", files=[f])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 2, 4)
    net = conn.execute("select sum(cost + credits_amount) from raw.gcp_billing_export").fetchone()[0]
    assert net == Decimal("2.75")  # (1.5 - 0.5) + (2.25 - 0.5)
    reasons = " | ".join(_reasons(conn, "quarantine.gcp_billing_export"))
    for expected in ("not valid JSON", "cost missing", "INVALID ENCODING", "invoice.month"):
        assert expected in reasons
    # the same file again: every row is recognised, nothing appended twice
    again = load_gcp_export_files(conn, table_name="t", files=[f])
    assert again.rows_loaded == 0 and _rows(conn, "raw.gcp_billing_export") == 2


def test_gcp_line_numbers_hold_in_a_file_read_in_parallel(conn, tmp_path: Path) -> None:
    """A row's ``_source_row`` (and a quarantined line's ``source_row``) is its 0-based line in the file, also when the
    file (33 MB) is large enough that DuckDB reads it in parallel chunks: the numbering relies on the reader keeping
    the file's order. (The rowid of the table the reader fills is no substitute: inside the load's transaction a new
    temp table's rowids do not start at 0.)"""
    lines, bad = 300_000, {7, 150_001, 299_998}
    f = tmp_path / "big.ndjson"
    with f.open("w") as out:
        for i in range(lines):
            out.write("{not json\n" if i in bad else json.dumps(
                {"cost": 1, "currency": "USD", "usage_start_time": "2026-10-01 00:00:00 UTC",
                 "invoice": {"month": "202610"}, "sku": {"id": f"line-{i}"}}) + "\n")
    result = load_gcp_export_files(conn, table_name="t", files=[f])
    assert (result.rows_loaded, result.rows_quarantined) == (lines - len(bad), len(bad))
    assert {r for r, in conn.execute("select source_row from quarantine.gcp_billing_export").fetchall()} == bad
    misplaced = conn.execute("select count(*) from raw.gcp_billing_export "
                             "where sku_id <> 'line-' || _source_row").fetchone()[0]
    assert misplaced == 0


def test_gcp_blank_lines_are_skipped_and_padded_fields_are_read_trimmed(conn, tmp_path: Path) -> None:
    """Lines of spaces are skipped as empty ones are; a line of a tab is not JSON (quarantined); text fields padded
    with spaces or other Unicode space separators are read without them, money and times too."""
    row = {"billing_account_id": "A", "cost": " 1.25 ", "currency": "\u00a0USD ", "usage_start_time":
           " 2026-10-01 00:00:00 UTC", "invoice": {"month": "202610 "}, "sku": {"id": "\u2003S1\u2003"},
           "cost_type": " regular"}
    f = tmp_path / "export.ndjson"
    f.write_text("\n".join(["   ", json.dumps(row), "", "\t", "  "]) + "\n")
    result = load_gcp_export_files(conn, table_name="t", files=[f])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    assert conn.execute("select cost, currency, usage_start_time, invoice_month, sku_id, cost_type "
                        "from raw.gcp_billing_export").fetchall() == [
        (Decimal("1.25"), "USD", dt.datetime(2026, 10, 1), "202610", "S1", "regular")]
    assert "not valid JSON" in " | ".join(_reasons(conn, "quarantine.gcp_billing_export"))


def test_mixed_currencies_load_and_stay_apart(conn, tmp_path: Path) -> None:
    f = tmp_path / "mixed.parquet"
    pq.write_table(_table([_cur_row(0, 10.0), _cur_row(1, 7.5, currency="EUR"), _cur_row(2, 2.5, currency="EUR")]), f)
    load_cur_delivery(conn, billing_period="2026-10", delivery_id="m", files=[f])
    totals = dict(conn.execute("select currency, file_total from audit.source_totals").fetchall())
    assert totals == {"USD": Decimal("10"), "EUR": Decimal("10")}
    assert _rows(conn, "raw.aws_cur_line_items") == 3


# --- helpers ------------------------------------------------------------------------------------------------------

def _cur_row(i: int, cost: float, currency: str = "USD") -> dict[str, object]:
    from datetime import datetime

    row = _line(datetime(2026, 10, 1, i), 1, account="ml-prod", product_code="AmazonEC2", usage_type=f"u{i}",
                operation="Op", line_type="Usage", cost=cost, usage=1.0, unit="Hrs", description="d",
                resource_id=f"r{i}")
    row["line_item_currency_code"] = currency
    return row


def _table(rows: list[dict[str, object]]):
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=SCHEMA)


def _load(conn: duckdb.DuckDBPyConnection, loader: str, files: list[Path]):
    if loader == "cur2":
        return load_cur_delivery(conn, billing_period="2026-10", delivery_id="d", files=files)
    if loader == "legacy":
        return load_legacy_cur_delivery(conn, billing_period="2026-10", delivery_id="d", files=files)
    if loader == "focus":
        return load_focus_delivery(conn, export_name="x", billing_period="2026-10", delivery_id="d", files=files)
    return load_gcp_export_files(conn, table_name="t", files=files)


# --- other file formats of the same sources -------------------------------------------------------------------

def test_legacy_parquet_with_athena_names(conn, tmp_path: Path, shared_data: Path) -> None:
    src = shared_data / "aws_cur/koku_fixtures/2022-07-01-alt-columns.csv"
    parquet = tmp_path / "report-1.snappy.parquet"
    duckdb.execute(f"copy (select * from read_csv('{src}', all_varchar = true)) to '{parquet}' (format parquet)")
    result = load_legacy_cur_delivery(conn, billing_period="2022-07", delivery_id="p", files=[parquet])
    assert (result.rows_read, result.rows_loaded) == (2, 2)
    tags, total = conn.execute("select any_value(resource_tags), sum(cast(line_item_unblended_cost as decimal(38, 10))) "
                               "from raw.aws_cur_legacy_line_items").fetchone()
    assert tags == {"aws_created_by": "IAMUser:fake:and"}  # the user tag column is empty in this file
    import csv

    with open(src, newline="") as fh:
        expected = sum(Decimal(r["line_item_unblended_cost"]) for r in csv.DictReader(fh))
    assert total == expected


def test_gcp_parquet_export_loads_like_ndjson(conn, tmp_path: Path, sample_dir: Path) -> None:
    ndjson = sorted((sample_dir / "gcp_billing").rglob("*.ndjson"))
    parquet = tmp_path / "export.parquet"
    files = ", ".join(f"'{f}'" for f in ndjson)
    duckdb.execute(f"copy (select * from read_json([{files}], format = 'newline_delimited')) to '{parquet}' "
                   "(format parquet)")
    from_parquet = load_gcp_export_files(conn, table_name="pq", files=[parquet])
    from_ndjson = load_gcp_export_files(conn, table_name="nd", files=ndjson)
    assert from_parquet.rows_loaded == from_parquet.rows_read > 0
    # the same rows by value: the NDJSON load recognises every one of them as already loaded
    assert from_ndjson.rows_loaded == 0 and from_ndjson.notes["rows_already_loaded"] == from_parquet.rows_read


def test_gcp_files_unchanged_are_skipped_and_reexported_ones_replace_their_rows(conn, tmp_path: Path) -> None:
    def row(sku: str, cost: float) -> bytes:
        return json.dumps({"cost": cost, "currency": "USD", "usage_start_time": "2026-10-01 00:00:00 UTC",
                           "export_time": "2026-10-01 05:00:00 UTC", "invoice": {"month": "202610"},
                           "credits": [], "sku": {"id": sku}}).encode() + b"\n"

    a, b = tmp_path / "day1.ndjson", tmp_path / "day2.ndjson"
    a.write_bytes(row("S1", 1.0) + row("S2", 2.0))
    b.write_bytes(row("S2", 2.0) + row("S3", 4.0))  # S2 again: an overlapping export
    first = load_gcp_export_files(conn, table_name="t", files=[a, b])
    assert (first.rows_read, first.rows_loaded, first.notes["rows_already_loaded"]) == (4, 3, 0)
    assert _rows(conn, "quarantine.gcp_billing_export") == 1  # the repeat inside the batch, with its reason

    again = load_gcp_export_files(conn, table_name="t", files=[a, b])
    assert (again.rows_read, again.notes["files_unchanged_skipped"]) == (0, 2)

    a.write_bytes(row("S1", 1.5) + row("S2", 2.0))  # day 1 re-exported with a corrected cost
    third = load_gcp_export_files(conn, table_name="t", files=[a, b])
    assert third.notes["files_reexported"] == [str(a)] and third.notes["rows_of_earlier_versions_replaced"] == 2
    total = conn.execute("select sum(cost) from raw.gcp_billing_export").fetchone()[0]
    assert total == Decimal("7.5")  # 1.5 + 2 + 4: the old day-1 rows are gone, S2 counted once
    expected = conn.execute("select sum(file_total - quarantined_total) from audit.source_totals").fetchone()[0]
    assert expected == total


def test_gcp_epoch_second_timestamps_and_python_style_booleans(conn, tmp_path: Path) -> None:
    """Regressions: a timestamp written as epoch seconds was read as microseconds (1970-01-01 00:29:50), and a
    Python-style list in a CSV turned False into true."""
    nd = tmp_path / "epoch.ndjson"
    nd.write_text(json.dumps({"cost": 1.5, "currency": "USD", "usage_start_time": "1790000000",
                              "usage_end_time": "1790003600", "invoice": {"month": "202609"}, "credits": []}) + "\n")
    load_gcp_export_files(conn, table_name="epoch", files=[nd])
    assert conn.execute("select usage_start_time, usage_end_time from raw.gcp_billing_export").fetchall() == [
        (dt.datetime(2026, 9, 21, 14, 13, 20), dt.datetime(2026, 9, 21, 15, 13, 20))]  # seconds since 1970, UTC
    csv_file = tmp_path / "flat.csv"
    csv_file.write_text('cost,currency,usage_start_time,invoice.month,labels\n'
                        '2.0,USD,2026-09-21 00:00:00 UTC,202609,"[{\'key\': \'spot\', \'value\': False}, '
                        '{\'key\': \'mig\', \'value\': True}, {\'key\': \'team\', \'value\': None}]"\n')
    load_gcp_export_files(conn, table_name="flat", files=[csv_file])
    [(labels,)] = conn.execute("select labels::varchar from raw.gcp_billing_export where cost = 2").fetchall()
    assert json.loads(labels) == [{"key": "spot", "value": False}, {"key": "mig", "value": True},
                                  {"key": "team", "value": None}]


def test_gcp_repeats_in_a_batch_load_once_and_rows_already_loaded_are_skipped(conn, tmp_path: Path) -> None:
    """The export has no line-item id: a row is its values. Within one batch the first copy (by file, then line)
    loads and later copies are quarantined as repeats, however the JSON is spaced; identical rows that are invalid
    keep their own reason; a row the warehouse already holds is skipped, neither loaded nor quarantined."""
    def row(sku: str, cost: object = 1.5) -> dict[str, object]:
        return {"cost": cost, "currency": "USD", "usage_start_time": "2026-10-01 00:00:00 UTC",
                "invoice": {"month": "202610"}, "sku": {"id": sku}, "credits": []}
    a, b, c, bad = row("A"), row("B"), row("C"), row("X", cost=None)
    first, second = tmp_path / "1.ndjson", tmp_path / "2.ndjson"
    first.write_text("\n".join([json.dumps(a), json.dumps(b), json.dumps(a, separators=(",", ":")),
                                json.dumps(bad), json.dumps(a), json.dumps(bad)]) + "\n")
    second.write_text("\n".join([json.dumps(c), json.dumps(b)]) + "\n")
    result = load_gcp_export_files(conn, table_name="t", files=[first, second])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (8, 3, 5)
    assert sorted(s for s, in conn.execute("select sku_id from raw.gcp_billing_export").fetchall()) == ["A", "B", "C"]
    quarantined = conn.execute("select source_file, source_row, reason from quarantine.gcp_billing_export "
                               "order by source_file, source_row").fetchall()
    repeat, missing = "duplicate row: identical values earlier in this batch", "cost missing or unreadable"
    assert [(Path(f).name, line, reason) for f, line, reason in quarantined] == [
        ("1.ndjson", 2, repeat), ("1.ndjson", 3, missing), ("1.ndjson", 4, repeat), ("1.ndjson", 5, missing),
        ("2.ndjson", 1, repeat)]
    later = tmp_path / "3.ndjson"
    later.write_text("\n".join([json.dumps(a), json.dumps(c), json.dumps(row("D"))]) + "\n")
    again = load_gcp_export_files(conn, table_name="t", files=[later])
    assert (again.rows_read, again.rows_loaded, again.rows_quarantined) == (3, 1, 0)
    assert _rows(conn, "quarantine.gcp_billing_export") == 5
