"""The `infraledger` console script, run as users run it (subprocess)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
CLI = str(Path(sys.executable).parent / "infraledger")


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture
def built_env(built: Path) -> dict[str, str]:
    """The environment of the shared whole-graph build (tests/e2e/whole_graph_run.py)."""
    return dict(os.environ)


def test_help_lists_every_command() -> None:
    out = subprocess.run([CLI, "--help"], capture_output=True, text=True, check=True).stdout
    commands = out.split("Commands:", 1)[1].strip().splitlines()
    assert commands and not any(line.rstrip().endswith("...") for line in commands), out  # nothing cut off
    for command in ("demo", "materialize", "sql", "saved", "tables", "status", "ui", "sample-data", "quarantine", "quality",
                    "report"):
        assert command in out


def test_sql_reads_and_refuses_writes(built_env: dict[str, str]) -> None:
    one = _cli("sql", "select 1 as one", "--format", "csv", env=built_env)
    assert one.returncode == 0, one.stderr
    assert one.stdout.splitlines() == ["one", "1"]

    mart = _cli("sql", "select provider_name, count(*) as n from marts.fct_cost group by 1", "--format", "json",
                env=built_env)
    assert mart.returncode == 0, mart.stderr
    assert '"provider_name": "AWS"' in mart.stdout

    # money: rounded for reading in a table, exact numbers (never strings) in JSON and CSV
    money = "select cast(1234.5678901234 as decimal(38, 10)) as usd, cast(0.123456 as decimal(38, 10)) as rate"
    table = _cli("sql", money, env=built_env)
    assert table.returncode == 0 and table.stdout.splitlines()[2].split() == ["1,234.57", "0.1235"], table.stdout
    as_json = _cli("sql", money, "--format", "json", env=built_env)
    assert json.loads(as_json.stdout) == [{"usd": 1234.5678901234, "rate": 0.123456}]
    assert '"usd": 1234.5678901234' in as_json.stdout
    assert _cli("sql", money, "--format", "csv", env=built_env).stdout.splitlines()[1] == "1234.5678901234,0.1234560000"
    # `show tables` lists every schema's tables and views (DuckDB's own lists only the empty default schema)
    shown = _cli("sql", "show tables", "--format", "csv", env=built_env)
    assert shown.returncode == 0, shown.stderr
    listed = {tuple(ln.split(",")[:3]) for ln in shown.stdout.splitlines()[1:]}
    assert {("marts", "fct_cost", "table"), ("raw", "aws_cur_line_items", "table"), ("audit", "loads", "table")} <= listed
    assert any(schema == "staging" and kind == "view" for schema, _, kind in listed)
    # the saved queries are the report's and the summary's own statements: the CLI answers the same figures
    from warehouse.statements import read

    saved = _cli("sql", "--saved", "summary_service_costs", "--param", "month=2026-10", "--format", "json", env=built_env)
    assert saved.returncode == 0, saved.stderr
    got = json.loads(saved.stdout)
    expected = read(built_env["INFRALEDGER_WAREHOUSE_PATH"], "summary_service_costs", month="2026-10")
    assert got and [(r["service"], r["currency"]) for r in got] == [(e[0], e[1]) for e in expected]
    assert [r["net_cost_amortized"] for r in got] == [None if e[2] is None else float(e[2]) for e in expected]
    missing = _cli("sql", "--saved", "summary_service_costs", env=built_env)
    assert missing.returncode == 2 and "--param month=..." in missing.stderr
    listing = _cli("saved", env=built_env)
    assert listing.returncode == 0 and "report_service_costs" in listing.stdout and "headline_1_" in listing.stdout
    status = _cli("status", env=built_env)
    assert status.returncode == 0, status.stderr
    assert "2026-10-03: " in status.stdout and "amortized" in status.stdout and "against the day before" in status.stdout
    assert "2026-10 to date: " in status.stdout and "failing loads: none" in status.stdout
    assert re.search(r"2026-10 forecast: [\d,.]+ USD \([\d,.]+ to [\d,.]+\) at month end, from the run rate of the "
                     r"3 days to 2026-10-03", status.stdout), status.stdout
    assert re.search(r"2026-10 to date: [\d,.]+ USD amortized \([\d,.]+ USD billed: the invoice view\); "
                     r"unallocated -?[\d,.]+ USD \(-?\d+\.\d\d%\)", status.stdout), status.stdout
    # ten lines at most: the budgets that need attention and the open anomalies among them
    assert len(status.stdout.strip().splitlines()) <= 10, status.stdout
    assert ("budgets 2026-10: 2 of 4 need attention: batch-eval-experiments over" in status.stdout
            and "all-cloud warn (" in status.stdout and "anomalies: none open" in status.stdout), status.stdout
    listed = _cli("status", "--sources", env=built_env)
    assert all(f"\n{src} " in listed.stdout for src in ("aws_cur", "gcp_billing", "prometheus", "power_bms"))
    listed = _cli("tables", env=built_env)
    assert listed.returncode == 0, listed.stderr
    first = listed.stdout.splitlines()[2]
    assert first.startswith("marts.") and "fct_unit_economics_daily" in listed.stdout
    assert any(ln.startswith("marts.fct_unit_economics_daily") and "per 1,000 requests" in ln
               for ln in listed.stdout.splitlines())

    write = _cli("sql", "delete from marts.fct_cost", env=built_env)
    assert write.returncode != 0
    assert "read-only" in write.stderr and "DELETE" in write.stderr

    q = _cli("quarantine", env=built_env)
    assert q.returncode == 0 and "duplicate line item" in q.stdout
    rows = _cli("quarantine", "--table", "aws_cur_line_items", "--limit", "3", env=built_env)
    assert rows.returncode == 0 and len(rows.stdout.splitlines()) == 2 + 3, rows.stdout
    assert rows.stdout.count("duplicate line item") == 3 and '{"bill_bill_type"' in rows.stdout  # the row itself
    unknown = _cli("quarantine", "--table", "nope", env=built_env)
    assert unknown.returncode == 2 and "the tables are aws_cur_legacy_line_items" in unknown.stderr

    # every suite's latest validation, all clean on the sample, and where the data docs are
    qual = _cli("quality", env=built_env)
    assert qual.returncode == 0, qual.stderr
    lines = [ln.split() for ln in qual.stdout.splitlines() if ln.startswith(("raw/", "marts/"))]
    assert len(lines) >= 20 and all(ln[-2:] == ["0", "0"] for ln in lines), qual.stdout
    assert qual.stdout.strip().endswith("local_site/index.html")

    # the monthly report: one self-contained file, every chart drawn, the summary equal to the mart
    out = Path(built_env["INFRALEDGER_WAREHOUSE_PATH"]).parent / "reports"
    rep = _cli("report", "--month", "2026-10", "--out", str(out), env=built_env)
    assert rep.returncode == 0, rep.stderr
    html = (out / "infraledger-report-2026-10.html").read_text()
    assert html.count("<svg") == 14 and "<script" not in html and "no data" not in html
    # nothing fetched from elsewhere: the only URLs are the SVG and XLink namespace names
    assert set(re.findall(r"https?://[^\"' )]+", html)) == {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    per_1k = _cli("sql", "select service, round(sum(net_cost_amortized) * 1000 / sum(requests), 4) "
                         "from marts.fct_unit_economics_daily where requests > 0 group by 1", "--format", "csv",
                  env=built_env)
    assert per_1k.returncode == 0, per_1k.stderr
    expected = {s: Decimal(v) for s, v in (ln.split(",") for ln in per_1k.stdout.splitlines()[1:])}
    assert expected, per_1k.stdout  # an empty answer is a failure, not a pass
    # the first table is the per-service one (the commitment sections' tables come last)
    head, body = re.findall(r"<table><thead><tr>(.*?)</tr></thead><tbody>(.*?)</tbody>", html)[0]
    columns = re.findall(r"<th>(.*?)</th>", head)
    rows = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]
    # the per-service table, cell by cell: service first, cost per 1k (amortized, with its currency) the fifth
    assert columns[4] == "cost per 1,000 requests, amortized (USD)" and columns[3] == "cost, billed: invoice view (USD)"
    services = {c[0]: c for c in rows}
    for service, value in expected.items():
        assert Decimal(services[service][4]) == value, (service, services.get(service))
    # the unallocated cost sits beside them, with its reason, and the rows add up to the month's amortized cost
    unallocated = [c for name, c in services.items() if name.startswith("unallocated (")]
    assert unallocated and all(": " in c[0] for c in unallocated)
    month = _cli("sql", "select sum(net_effective_cost), sum(net_billed_cost) from marts.fct_cost_allocation_daily",
                 "--format", "csv", env=built_env).stdout.splitlines()[1].split(",")
    amortized, billed = (Decimal(v).quantize(Decimal("0.01")) for v in month)
    money = lambda text: Decimal(text.replace(",", ""))  # noqa: E731
    assert abs(sum(money(c[2]) for c in services.values()) - amortized) <= Decimal("0.01") * len(services)
    # the headline row of totals comes first and states both views
    tiles = dict(re.findall(r'<div class="tile"><span>(.*?)</span><b>(.*?)</b></div>', html))
    assert html.index('class="tiles"') < html.index("<svg")
    assert (money(tiles["cost, amortized (USD)"]), money(tiles["cost, billed: invoice view (USD)"])) == (amortized, billed)
    requests = _cli("sql", "select sum(requests) from marts.fct_unit_economics_daily", "--format", "csv", env=built_env)
    assert money(tiles["requests"]) == Decimal(requests.stdout.splitlines()[1])
    bad = _cli("report", "--month", "October", env=built_env)
    assert bad.returncode != 0 and "YYYY-MM" in bad.stderr
    empty = _cli("report", "--month", "2026-09", env=built_env)
    assert empty.returncode == 2 and "2026-09 has no cost data; months with data: 2026-10" in empty.stderr
    latest = _cli("report", env=built_env)  # the latest month with data, under the data folder
    assert latest.returncode == 0, latest.stderr
    assert latest.stdout.strip() == \
        f"wrote {Path(built_env['INFRALEDGER_WAREHOUSE_PATH']).parent / 'reports' / 'infraledger-report-2026-10.html'}"


def test_sql_on_missing_warehouse_says_so(infraledger_env: Path) -> None:
    res = _cli("sql", "select 1", env=dict(os.environ))
    assert res.returncode != 0 and "does not exist yet" in res.stderr


@pytest.mark.parametrize(("args", "says"), [
    (["sample-data", "--out", "/proc/infraledger-nope", "--days", "1"], "No such file or directory: /proc/"),
    (["ui", "--port", "99999"], "99999 is not in the range 1<=x<=65535"),
    (["report", "--month", "2026-10"], "does not exist yet: run `infraledger demo`"),
    (["quarantine", "--limit", "0"], "0 is not in the range"),
    (["backfill", "--from", "2026-10-05", "--to", "2026-10-01"], "--to 2026-10-01 is before --from 2026-10-05"),
    (["--config", "/nonexistent/infraledger.yaml", "status"], "config file /nonexistent/infraledger.yaml does not exist"),
    (["sql", "select 1"], "does not exist yet"),
])
def test_user_errors_end_with_one_clear_line_and_no_traceback(infraledger_env: Path, args: list[str],
                                                              says: str) -> None:
    res = _cli(*args, env=dict(os.environ))
    assert res.returncode != 0 and "Traceback" not in res.stdout + res.stderr, res.stderr[-3000:]
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ") and says in last, res.stderr


def test_ui_refuses_a_port_in_use_at_once(infraledger_env: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        res = _cli("ui", "--port", str(taken.getsockname()[1]), env=dict(os.environ))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.strip().splitlines()[-1].endswith("choose another with --port"), res.stderr


def test_invalid_config_fails_at_start_naming_the_key(infraledger_env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("warehouse:\n  lock_wait_s: never\n")
    res = _cli("--config", str(bad), "sql", "select 1", env=dict(os.environ))
    assert res.returncode != 0 and "warehouse.lock_wait_s" in res.stderr


@pytest.mark.slow
def test_backfill_a_range_with_progress_then_rerun_a_day(infraledger_env: Path) -> None:
    env = dict(os.environ)
    first = _cli("backfill", "--from", "2026-10-01", "--to", "2026-10", env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    progress = [ln for ln in first.stderr.splitlines() if ln.startswith("[")]
    assert progress[0].startswith("[1/4] daily feeds 2026-10-01..2026-10-31: ok")
    assert progress[1:] == ["[2/4] billing month 2026-10: ok", "[3/4] unpartitioned sources and the dbt models: ok",
                            "[4/4] reports 2026-10: ok"]
    assert "backfilled 2026-10-01..2026-10: 4 runs" in first.stdout

    def day_rows() -> tuple:
        import duckdb

        conn = duckdb.connect(str(infraledger_env), read_only=True)
        try:
            return conn.execute("select count(*), round(sum(value), 6) from raw.power_readings "
                                "where reading_time::date = '2026-10-02'").fetchone()
        finally:
            conn.close()

    before = day_rows()
    assert before[0] > 0
    again = _cli("backfill", "--from", "2026-10-02", "--to", "2026-10-02", "--select", 'key:"raw/power_readings"',
                 env=env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "[1/1] daily feeds 2026-10-02..2026-10-02: ok" in again.stderr
    assert day_rows() == before  # the day was replaced, not appended to

    bad = _cli("backfill", "--from", "2026-10-05", "--to", "2026-10-01", env=env)
    assert bad.returncode != 0 and "is before --from" in bad.stderr


@pytest.mark.parametrize(("args", "says"), [
    (["--partition", "2026-10-05"], "for the single day 2026-10-05 use `infraledger backfill"),
    (["--partition", "October"], "a partition is a billing month, YYYY-MM"),
    (["--partition", "2026-13"], "a partition is a billing month, YYYY-MM"),  # not an unexpected ValueError
    (["--partition", "1999-01"], "no billing month 1999-01; the months that exist are"),
    (["--select", "key:raw/aws_cur_lines"], "key:raw/aws_cur_line_items"),
    (["--select", "key:raw/does_not_exist"], "--select 'key:raw/does_not_exist' matches no asset"),
])
def test_materialize_refuses_a_bad_partition_or_selection_at_once(infraledger_env: Path, args: list[str],
                                                                  says: str) -> None:
    res = _cli("materialize", *args, env=dict(os.environ))
    assert res.returncode == 2 and says in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and "Warning" not in res.stderr
    assert not infraledger_env.exists()  # refused before any work: no warehouse was created


@pytest.mark.slow
def test_materialize_takes_a_month_as_its_partition(infraledger_env: Path) -> None:
    res = _cli("materialize", "--partition", "2026-10", "--select", 'key:"raw/gcp_sku_prices"', env=dict(os.environ))
    assert res.returncode == 0, res.stderr[-3000:]
    assert "2026-10-01: ok" in res.stderr


@pytest.mark.slow
def test_demo_is_quiet_and_ends_with_the_headline_figures(tmp_path: Path) -> None:
    """README command 1 as a newcomer runs it: a few progress lines, no logs or colour codes, and its last lines are
    the month's cost, cost per 1,000 requests and per million tokens per service, what is unallocated, PUE and the
    next commands."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFRALEDGER_")}
    res = subprocess.run([CLI, "demo", "--days", "1"], capture_output=True, text=True, timeout=900, env=env,
                         cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    output = res.stdout + res.stderr
    assert len(output.splitlines()) < 60 and "\x1b[" not in output and "DEBUG" not in output, output[-3000:]
    # an unconfigured source's skipped checks gate nothing, so Dagster has nothing to warn about
    assert "emitted no result" not in output and "Warning" not in output, output[-3000:]
    tail = "\n".join(res.stdout.splitlines()[-30:])
    # unallocated cost is listed beside the services, each amount with its reason
    assert re.search(r"\n {4}unallocated +-?[\d,.]+ USD.*\((untagged|gpu_time_not_held|no_allocated_base|rounding): ", tail), tail
    for expected in ("amortized", "billed: the invoice view", "per 1k requests", "per 1M tokens", "PUE ", "infraledger ui",
                     f"open {tmp_path / 'data' / 'reports' / 'infraledger-report-2026-10.html'}"):
        assert expected in tail, (expected, tail)
