"""A budget's status for its asset check, and its alert: sent once per breach (budget, month, status), the
delivery kept in audit.alert_notifications so later runs do not repeat it; an undelivered alert is tried again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from pipelines.alerts.webhook import post_message
from warehouse.statements import run, statement


@dataclass(frozen=True)
class BudgetStatus:
    month: dt.date
    name: str
    scope: str
    match: str | None
    currency: str
    amount: Decimal
    warn_at_percent: float
    basis: str
    as_of: dt.date
    actual: Decimal
    forecast: Decimal
    actual_share: float
    forecast_share: float
    status: str

    @property
    def alert_key(self) -> str:
        return f"budget/{self.name}/{self.month:%Y-%m}/{self.status}"

    def message(self) -> str:
        what = "all cost" if self.scope == "total" else f"{self.scope} {self.match}"
        head = {"over": "is over budget", "warn": f"reached {self.warn_at_percent:g} % of its budget"}.get(
            self.status, "is within budget")
        basis = " (forecast)" if self.status == "warn" and self.basis == "forecast" else ""
        return (f"infraledger budget '{self.name}' ({what}) {head}{basis} in {self.month:%Y-%m}: "
                f"{self.actual:,.2f} {self.currency} to {self.as_of} ({self.actual_share:.0%} of "
                f"{self.amount:,.2f}), forecast {self.forecast:,.2f} {self.currency} at month end "
                f"({self.forecast_share:.0%}).")


def latest_status(conn: duckdb.DuckDBPyConnection, budget: str) -> BudgetStatus | None:
    """The budget's newest month in marts.fct_budget_status; None before the mart holds it."""
    row = run(conn, "budget_status_latest", budget=budget).fetchone()
    return None if row is None else BudgetStatus(*row)


def notify_once(conn: duckdb.DuckDBPyConnection, status: BudgetStatus, url: str | None, timeout_s: float,
                run_id: str | None) -> str:
    """Send the breach's alert unless it was delivered before; what happened, in words (never the URL)."""
    if status.status == "ok":
        return "within budget: nothing to send"
    sent = run(conn, "alert_delivered", alert_key=status.alert_key).fetchone()[0]
    if sent is not None:
        return f"already sent at {sent:%Y-%m-%d %H:%M} UTC (once per breach)"
    if not url:
        return "not sent: no webhook configured (set INFRALEDGER_ALERT_WEBHOOK_URL)"
    text = status.message()
    delivery = post_message(url, text, timeout_s)
    conn.execute(statement("alert_record"), [
        status.alert_key, status.name, f"{status.month:%Y-%m}", status.status, text,
        dt.datetime.now(dt.timezone.utc), delivery.delivered, delivery.http_status, delivery.error, run_id])
    return "sent" if delivery.delivered else f"not delivered: {delivery.error} (tried again next run)"
