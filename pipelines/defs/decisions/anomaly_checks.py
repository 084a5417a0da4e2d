"""Cost anomalies as a Dagster asset check: WARN while marts.fct_cost_anomalies holds anomalies on its newest three
days (the method is the mart's; the README's "Anomalies" section explains it)."""

import dagster as dg

from pipelines.resources_impl import WarehouseResource
from warehouse.statements import run

ANOMALIES_KEY = dg.AssetKey(["marts", "fct_cost_anomalies"])


def _line(day, metric, provider, account, service, currency, actual, expected, impact, score, contributors) -> str:
    where = " ".join(str(p) for p in (provider, account, service) if p != "all")
    why = f"; top: {contributors.split('; ')[0]}" if contributors else ""
    return (f"{day} {metric} {where}: {actual:,.2f} {currency} against {expected:,.2f} expected "
            f"({impact:+,.2f}, score {score:+.1f}){why}")


@dg.asset_check(asset=ANOMALIES_KEY, name="no_open_anomalies", pool="duckdb",
                description="WARN while an anomaly (daily cost, cost per 1,000 requests or idle GPU cost) stands on "
                            "the newest three days of marts.fct_cost_anomalies; the metadata lists them.")
def no_open_anomalies(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.writer() as conn:
        rows = run(conn, "anomalies_open").fetchall()
    lines = [_line(*r) for r in rows]
    for line in lines:
        context.log.warning(f"cost anomaly: {line}")
    return dg.AssetCheckResult(
        passed=not rows, severity=dg.AssetCheckSeverity.WARN,
        description=(f"{len(rows)} open anomalies; largest: {lines[0]}" if rows else "no open anomalies")[:2000],
        metadata={"open_anomalies": len(rows), "anomalies": dg.MetadataValue.md("\n".join(f"- {x}" for x in lines))
                  if lines else "none"})


@dg.definitions
def anomaly_checks() -> dg.Definitions:
    return dg.Definitions(asset_checks=[no_open_anomalies])
