"""Suites for the finance marts besides fct_cost: daily cost, egress, GPU instance hours, commitments (the latest
7 days)."""

from __future__ import annotations

from pipelines.quality.grain import model_grain
from pipelines.quality.rules import Suite, a_not_before_b, between, in_set, mart_suite, not_null, regex, unique

EGRESS_CLASSES = ["internet", "inter_region", "inter_az", "nat", "cdn", "direct_connect", "vpc_peering",
                  "transit_gateway", "other", "inbound"]
PURCHASE_OPTIONS = ["on_demand", "spot", "savings_plan", "reserved", "committed_use", "on_prem"]

FCT_COST_DAILY = mart_suite("fct_cost_daily", rules=(
    *not_null("charge_date", "provider_name", "charge_category", "billing_currency", "billed_cost",
              "effective_cost", "line_items"),
    regex("billing_currency", r"^[A-Z]{3}$", why="ISO 4217 code"),
    between("line_items", 1, None, why="a daily row sums at least one line"),
    between("billed_cost", -1_000_000, 1_000_000, severity="warn", why="a day-service-account above $1M is suspect"),
))

FCT_EGRESS_DAILY = mart_suite("fct_egress_daily", rules=(
    *not_null("day", "provider", "egress_class", "currency", "gb", "billed_cost"),
    in_set("egress_class", EGRESS_CLASSES, why="the classifier's classes"),
    between("gb", 0, None, why="transferred volume is never negative"),
    between("billed_cost", 0, None, severity="warn", why="credits on transfer are rare; check them"),
    *not_null("source_region", severity="warn", mostly=0.9, why="egress is reported by source region"),
))

FCT_GPU_INSTANCE_HOURS_DAILY = mart_suite("fct_gpu_instance_hours_daily", rules=(
    *not_null("charge_date", "provider_name", "resource_id", "gpu_hours", "gpu_model"),
    *not_null("instance_type", "instance_hours", severity="warn", mostly=0.9,
              why="a GCP VM billed by GPU SKU without its machine_spec system label has no machine type"),
    unique(*model_grain("fct_gpu_instance_hours_daily"),
           why="one row per machine, day and purchase option (the grain dbt declares)"),
    between("instance_hours", 0, 24.0001, why="a machine runs at most 24 h a day"),
    in_set("purchase_option", PURCHASE_OPTIONS, why="the purchase options the efficiency mart knows"),
    between("gpu_hours", 0, None, severity="warn", why="never negative"),
))

FCT_COMMITMENT_DAILY = mart_suite("fct_commitment_daily", rules=(
    *not_null("charge_date", "provider_name", "commitment_type", "commitment_id", "billing_currency",
              "commitment_cost", "used_commitment", "unused_commitment"),
    unique(*model_grain("fct_commitment_daily"), why="one row per day, plan and currency (the grain dbt declares)"),
    in_set("commitment_type", ["savings_plan", "reservation", "committed_use"], why="the commitment kinds"),
    between("commitment_hours", 1, 24, why="an hourly fee line item per hour of the day at most"),
    between("utilization", 0, 1.000001, why="usage cannot consume more than the commitment"),
    between("unused_commitment", 0, None, why="the used part never exceeds the commitment"),
    between("utilization", 0.5, None, severity="warn", why="under half the commitment used: an oversized plan"),
))

FCT_COMMITMENT_COVERAGE_DAILY = mart_suite("fct_commitment_coverage_daily", rules=(
    *not_null("charge_date", "service", "gpu_model", "committed_gpu_hours", "on_demand_gpu_hours", "spot_gpu_hours",
              "on_prem_gpu_hours"),
    unique(*model_grain("fct_commitment_coverage_daily"),
           why="one row per day, service and GPU model (the grain dbt declares)"),
    between("coverage", 0, 1, why="a share of the commitment-eligible hours"),
    *[between(c, 0, None, why="hours are never negative")
      for c in ("committed_gpu_hours", "on_demand_gpu_hours", "spot_gpu_hours", "on_prem_gpu_hours")],
))

FCT_COMMITMENT_RECOMMENDATION = Suite(name="fct_commitment_recommendation", asset=("marts", "fct_commitment_recommendation"),
                                      scope="every row (one per region and GPU model)", rules=(
    *not_null("provider_name", "gpu_model", "billing_currency", "hours_observed", "baseline_gpu_hours_per_hour",
              "committed_gpu_hours_per_hour", "to_commit_gpu_hours_per_hour", "rate_basis"),
    unique(*model_grain("fct_commitment_recommendation"), why="one row per region, GPU and currency (dbt's grain)"),
    between("baseline_percentile", 0, 1, why="a percentile"),
    between("to_commit_gpu_hours_per_hour", 0, None, why="never a negative commitment"),
    between("hours_observed", 1, None, why="a recommendation rests on observed hours"),
    between("hours_observed", 48, None, severity="warn", why="under two days of history: no baseline to speak of"),
))

FCT_COST_FORECAST = Suite(name="fct_cost_forecast", asset=("marts", "fct_cost_forecast"),
                          scope="every row (one per month, service and currency)", rules=(
    *not_null("month", "service", "billing_currency", "level", "as_of_date", "month_to_date", "forecast", "method"),
    unique(*model_grain("fct_cost_forecast"), why="one row per month, service and currency (dbt's grain)"),
    in_set("level", ["service", "total"], why="a service's forecast or the total"),
    between("days_elapsed", 1, 31, why="a day of the month"),
    between("days_left", 0, 30, why="days of the month after the forecast"),
    a_not_before_b("forecast_high", "forecast_low", why="an interval's ends in order"),
))

FCT_COST_ANOMALIES = mart_suite("fct_cost_anomalies", rules=(
    *not_null("metric", "day", "provider", "account", "service", "currency", "actual", "is_anomaly",
              "baseline_method", "history_days"),
    unique(*model_grain("fct_cost_anomalies"), why="one row per metric, day and series (dbt's grain)"),
    in_set("metric", ["daily_cost", "cost_per_1k_requests", "idle_gpu_cost"], why="the series the mart judges"),
    in_set("baseline_method", ["same_weekday_median", "median", "insufficient_history"], why="the documented methods"),
    a_not_before_b("upper_bound", "lower_bound", why="a band's ends in order"),
))

FCT_BUDGET_STATUS = Suite(name="fct_budget_status", asset=("marts", "fct_budget_status"),
                          scope="every row (one per budget and month)", rules=(
    *not_null("month", "budget_name", "scope", "currency", "amount", "basis", "as_of_date", "actual", "forecast",
              "status"),
    unique(*model_grain("fct_budget_status"), why="one row per budget and month (dbt's grain)"),
    in_set("scope", ["total", "service", "team", "account"], why="the budget scopes the configuration knows"),
    in_set("status", ["over", "warn", "ok"], why="the documented statuses"),
    between("amount", 0, None, why="a budget is a positive amount"),
    between("warn_at_percent", 0, 100, why="a share of the amount"),
))
