"""Budgets on the sample's CUR (3 days of October 2026): marts.fct_budget_status recomputed from the line items as
the README states it, and each budget's asset check sending its breach to a loopback webhook once, through a
receiver that fails too (the check still answers and says the alert was not delivered; the next run sends it)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from collectors.samples.budgets import BUDGETS
from pipelines.budget_settings import BudgetSettings
from pipelines.config import WarehouseConfig
from pipelines.defs.decisions.budget_checks import budget_check
from pipelines.resources_impl import BudgetsResource, WarehouseResource
from tests.cur_totals import amortized_cost, final_delivery, unique_line_items
from tests.dbt_build import dbt_build
from tests.integration.loopback import closed_port
from tests.integration.webhook_receiver import WebhookReceiver
from tests.secret_scan import warehouse_leaks
from warehouse.loaders.aws_cur import load_cur_delivery
from warehouse.schema import apply_ddl

pytestmark = pytest.mark.integration
SETTINGS = [BudgetSettings.model_validate(b) for b in BUDGETS]
SECRET_PATH = "/services/T0PLANTED/B0PLANTED/planted-webhook-token-7c41"


@pytest.fixture(scope="module")
def built(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    tmp = tmp_path_factory.mktemp("budgets")
    wh = tmp / "warehouse.duckdb"
    conn = duckdb.connect(str(wh))
    apply_ddl(conn)
    delivery, files = final_delivery(sample_dir, "2026-10")
    load_cur_delivery(conn, billing_period="2026-10", delivery_id=delivery, files=files)
    conn.close()
    dbt_build(wh, {"budgets": [b.as_dbt_var() for b in SETTINGS]}, "--select", "+fct_budget_status", "--indirect-selection", "cautious")
    return wh, files


def _expected(files: list[Path]) -> dict[str, dict[str, object]]:
    """Per budget: month to date, the 7-day run rate forecast and the status, from the line items."""
    daily: dict[str, dict] = {b.name: defaultdict(Decimal) for b in SETTINGS}
    for r in unique_line_items(files):
        tags = dict(r["resource_tags"] or [])
        day = r["line_item_usage_start_date"].date()
        for b in SETTINGS:
            if (b.scope == "total" or (b.scope == "service" and tags.get("user_service", "untagged") == b.match)
                    or (b.scope == "account" and r["line_item_usage_account_id"] == b.match)):
                daily[b.name][day] += amortized_cost(r)
    newest = max(d for by_day in daily.values() for d in by_day)
    days_in_month = calendar.monthrange(newest.year, newest.month)[1]
    out = {}
    for b in SETTINGS:
        actual = sum(daily[b.name].values(), Decimal(0))
        window = [daily[b.name].get(newest.replace(day=d), Decimal(0))
                  for d in range(max(1, newest.day - 6), newest.day + 1)]
        forecast = actual + sum(window) / len(window) * (days_in_month - newest.day)
        amount = Decimal(b.amount)
        basis = actual if b.basis == "actual" else forecast
        status = "over" if actual >= amount else "warn" if basis * 100 >= amount * Decimal(b.warn_at_percent) else "ok"
        out[b.name] = {"actual": actual, "forecast": forecast, "status": status}
    return out


def _check(name: str, wh: Path, url: str | None) -> dg.AssetCheckResult:
    fn = budget_check(name, "")
    return fn(dg.build_asset_check_context(), warehouse=WarehouseResource(settings=WarehouseConfig(path=str(wh))),
              budgets=BudgetsResource(budgets=SETTINGS, webhook_url=url, webhook_timeout_s=5))


def test_budget_status_matches_the_line_items(built: tuple[Path, list[Path]]) -> None:
    wh, files = built
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        got = {r[0]: r[1:] for r in conn.execute(
            "select budget_name, actual, forecast, status from marts.fct_budget_status").fetchall()}
    finally:
        conn.close()
    expected = _expected(files)
    assert got.keys() == expected.keys()
    for name, e in expected.items():
        actual, forecast, status = got[name]
        assert actual == e["actual"], name
        assert abs(forecast - e["forecast"]) < Decimal("1e-6"), name
        assert status == e["status"], name
    # the sample's budgets show every status
    assert {n: e["status"] for n, e in expected.items()} == {
        "all-cloud": "warn", "chat-api": "ok", "batch-eval-experiments": "over", "ml-research-account": "ok"}


def test_each_breach_is_sent_once_and_a_failing_receiver_is_retried(built: tuple[Path, list[Path]],
                                                                    tmp_path: Path) -> None:
    src, _ = built
    wh = tmp_path / "warehouse.duckdb"
    wh.write_bytes(src.read_bytes())  # the notification state starts empty
    names = [b.name for b in SETTINGS]
    with WebhookReceiver(status=500) as failing:
        first = {n: _check(n, wh, failing.endpoint + SECRET_PATH) for n in names}
    assert len(failing.received) == 2  # tried: the two breaches
    for n in ("all-cloud", "batch-eval-experiments"):
        assert not first[n].passed and first[n].metadata["alert"].value.startswith(
            "not delivered: 127.0.0.1 answered HTTP 500"), first[n].metadata
    assert {first[n].severity for n in ("all-cloud", "batch-eval-experiments")} == {dg.AssetCheckSeverity.WARN}
    assert first["chat-api"].passed and first["chat-api"].metadata["alert"].value == "within budget: nothing to send"

    with WebhookReceiver() as receiver:
        url = receiver.endpoint + SECRET_PATH
        second = {n: _check(n, wh, url) for n in names}
        third = {n: _check(n, wh, url) for n in names}
    # delivered on the next run, once: the run after that finds the breach already sent
    assert sorted(p for p, _ in receiver.received) == [SECRET_PATH, SECRET_PATH]
    texts = sorted(body["text"] for _, body in receiver.received)
    assert texts[0].startswith("infraledger budget 'all-cloud' (all cost) reached 80 % of its budget (forecast)")
    assert texts[1].startswith("infraledger budget 'batch-eval-experiments' (service batch-eval) is over budget")
    assert second["all-cloud"].metadata["alert"].value == "sent"
    assert third["all-cloud"].metadata["alert"].value.startswith("already sent at ")
    # the URL is a secret: not in what the checks said, not in the warehouse
    for result in (*first.values(), *second.values(), *third.values()):
        assert "planted-webhook-token" not in str(result.description) + str(result.metadata)
    assert warehouse_leaks(wh, "planted-webhook-token") == []
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        attempts = conn.execute("select alert_key, delivered, http_status from audit.alert_notifications "
                                "order by attempted_at").fetchall()
    finally:
        conn.close()
    assert attempts == [("budget/all-cloud/2026-10/warn", False, 500),
                        ("budget/batch-eval-experiments/2026-10/over", False, 500),
                        ("budget/all-cloud/2026-10/warn", True, 200),
                        ("budget/batch-eval-experiments/2026-10/over", True, 200)]


def test_an_unreachable_receiver_is_reported_not_raised(built: tuple[Path, list[Path]], tmp_path: Path) -> None:
    src, _ = built
    wh = tmp_path / "warehouse.duckdb"
    wh.write_bytes(src.read_bytes())
    result = _check("all-cloud", wh, f"http://127.0.0.1:{closed_port()}{SECRET_PATH}")
    assert not result.passed
    assert result.metadata["alert"].value.startswith("not delivered: 127.0.0.1 did not answer")
    assert _check("all-cloud", wh, None).metadata["alert"].value.startswith("not sent: no webhook configured")
    garbled = _check("all-cloud", wh, "hooks.slack.com/services/planted-webhook-token")  # no scheme: said, not raised
    assert garbled.metadata["alert"].value.startswith("not delivered: the webhook URL is not an http(s) URL")
    assert "planted-webhook-token" not in str(garbled.metadata)
