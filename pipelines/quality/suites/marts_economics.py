"""Suites for the economics marts: allocation, unit economics, GPU efficiency, bottlenecks (latest 7 days)."""

from __future__ import annotations

from pipelines.quality.grain import model_grain
from pipelines.quality.rules import Suite, between, in_set, mart_suite, not_null, unique

BOTTLENECKS = ["idle", "compute-bound", "memory-bound", "communication-bound", "input-bound", "underutilized", "unknown"]

FCT_COST_ALLOCATION_DAILY = mart_suite("fct_cost_allocation_daily", rules=(
    *not_null("day", "provider_name", "currency", "service", "allocation_method", "net_billed_cost",
              "net_effective_cost", "gross_billed_cost", "gross_effective_cost"),
    in_set("allocation_method", ["tag", "gpu_time", "proportional", "none"], why="the allocation rules"),
    unique(*model_grain("fct_cost_allocation_daily"),
           why="one row per day, service and rule (the grain dbt declares)"),
    between("net_billed_cost", -1_000_000, 1_000_000, severity="warn", why="a service-day above $1M is suspect"),
))

FCT_UNIT_ECONOMICS_DAILY = mart_suite("fct_unit_economics_daily", rules=(
    *not_null("day", "service", "currency", "net_cost_billed", "net_cost_amortized", "gross_cost_billed",
              "gross_cost_amortized"),
    unique(*model_grain("fct_unit_economics_daily"),
           why="one row per service, day and currency (the grain dbt declares)"),
    between("requests", 0, None, why="never negative"),
    between("cost_per_1k_requests_billed", 0, None, severity="warn", why="negative unit cost: credits dominate"),
    between("gpu_hours", 0, None, why="never negative"),
))

FCT_GPU_EFFICIENCY_DAILY = mart_suite("fct_gpu_efficiency_daily", rules=(
    *not_null("day", "hostname", "observed_gpu_hours", "active_gpu_hours", "idle_gpu_hours"),
    unique(*model_grain("fct_gpu_efficiency_daily"),
           why="one row per host, day and service (the grain dbt declares)"),
    *not_null("provider", severity="warn",
              why="a telemetry host in no inventory (EC2 API, hosts CSV, kubectl nodes, GCP bill) is not costed"),
    between("active_gpu_hours", 0, None, why="never negative"),
    between("idle_gpu_hours", 0, None, why="never negative"),
    between("idle_cost", 0, None, severity="warn", why="idle cost is a share of a positive cost"),
    *not_null("purchase_option", severity="warn", mostly=0.8, why="GPUs without a bill have no purchase option"),
))

FCT_BOTTLENECK_HOURLY = mart_suite("fct_bottleneck_hourly", rules=(
    *not_null("hour_start", "hostname", "gpus", "bottleneck"),
    unique(*model_grain("fct_bottleneck_hourly"),
           why="one label per host and hour (the grain dbt declares)"),
    in_set("bottleneck", BOTTLENECKS, why="the documented labels"),
    between("sm_active", 0, 1, why="a ratio"),
    in_set("bottleneck", [b for b in BOTTLENECKS if b != "unknown"], severity="warn",
           why="unknown means the profiling metrics are missing"),
))

FCT_SERVICE_COSTS_MONTHLY = Suite(
    name="fct_service_costs_monthly", asset=("marts", "fct_service_costs_monthly"), scope="the latest 2 months",
    rules=(
        *not_null("month", "service", "currency", "net_cost_amortized", "net_cost_billed"),
        unique(*model_grain("fct_service_costs_monthly"),
               why="one row per service (or unallocated reason), month and currency (the grain dbt declares)"),
        between("share_of_month", -1, 1, severity="warn", why="a share of the month (credits can make it negative)"),
        between("requests", 0, None, why="never negative"),
))

FCT_HEADLINE_MONTHLY = Suite(
    name="fct_headline_monthly", asset=("marts", "fct_headline_monthly"), scope="the latest 2 months",
    rules=(
        *not_null("month", "currency", "net_cost_amortized", "net_cost_billed", "unallocated_amortized"),
        unique(*model_grain("fct_headline_monthly"), why="one row per month and currency (the grain dbt declares)"),
        between("pue", 1, 3, severity="warn", why="a facility uses at least the energy of its IT load"),
        between("requests", 0, None, why="never negative"),
))


FCT_GPU_HOUR_PRICE_COMPARISON = Suite(
    name="fct_gpu_hour_price_comparison", asset=("marts", "fct_gpu_hour_price_comparison"),
    scope="the latest 2 months",
    rules=(
        *not_null("month", "gpu_model", "purchase_option", "currency", "gpu_hours", "cost"),
        unique(*model_grain("fct_gpu_hour_price_comparison"),
               why="one row per month, GPU model, purchase option and currency (the grain dbt declares)"),
        in_set("purchase_option", ["on_demand", "committed", "spot", "on_prem"], why="how a GPU-hour is bought"),
        between("gpu_hours", 0, None, why="never negative"),
        between("observed_share", 0, 1.000001, why="a share of the GPU-hours"),
        between("cost_per_gpu_hour", 0, None, why="a GPU-hour never pays"),
    ))
