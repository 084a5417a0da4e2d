"""One asset check per configured budget on marts.fct_budget_status, failing with severity WARN at the budget's
warning and when the month to date is over it (a finding about spend, not broken data: it blocks nothing and does not
fail the run), and the breach's alert sent to the webhook once."""

import dagster as dg

from pipelines.alerts.budget_alerts import latest_status, notify_once
from pipelines.config import current_config
from pipelines.resources_impl import BudgetsResource, WarehouseResource

BUDGET_STATUS_KEY = dg.AssetKey(["marts", "fct_budget_status"])


def budget_check(name: str, description: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=BUDGET_STATUS_KEY, name=f"budget_{name.replace('-', '_')}", pool="duckdb",
                    description=description)
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource,
               budgets: BudgetsResource) -> dg.AssetCheckResult:
        with warehouse.writer() as conn:
            status = latest_status(conn, name)
            if status is None:
                return dg.AssetCheckResult(passed=True, description=f"budget {name}: no cost in its currency yet")
            outcome = notify_once(conn, status, budgets.webhook_url, budgets.webhook_timeout_s,
                                  context.op_execution_context.run_id)
        log = context.log.warning if outcome.startswith("not delivered") else context.log.info
        log(f"budget {name}: {status.status}; alert {outcome}")
        return dg.AssetCheckResult(
            passed=status.status == "ok", severity=dg.AssetCheckSeverity.WARN,
            description=status.message(),
            metadata={"month": f"{status.month:%Y-%m}", "status": status.status, "actual": float(status.actual),
                      "forecast": float(status.forecast), "amount": float(status.amount), "currency": status.currency,
                      "alert": outcome})

    return _check


@dg.definitions
def budget_checks() -> dg.Definitions:
    return dg.Definitions(asset_checks=[
        budget_check(b.name, f"Budget {b.name}: {b.scope}{'' if b.match is None else ' ' + b.match}, {b.amount} "
                             f"{b.currency} a month; warns at {b.warn_at_percent:g} % of the {b.basis}.")
        for b in current_config().budgets()])
