"""Every data-quality suite, one per raw source and per mart: the list the asset checks and the docs are made from."""

from __future__ import annotations

from pipelines.quality.rules import Suite
from pipelines.quality.suites import (
    aws_cur,
    fct_cost,
    focus,
    gcp_billing,
    marts_economics,
    marts_finance,
    marts_fleet,
    marts_usage,
    power,
    prices,
    telemetry,
)

RAW_SUITES: tuple[Suite, ...] = (
    aws_cur.SUITE, aws_cur.LEGACY_SUITE, focus.SUITE, gcp_billing.SUITE,
    prices.SPOT, prices.GCP_SKU,
    telemetry.DCGM_SAMPLES, telemetry.PROMETHEUS_SAMPLES, telemetry.PROMETHEUS_SERIES, telemetry.SERVING_SAMPLES,
    telemetry.HOST_INVENTORY,
    power.POWER_READINGS, power.POWER_TOPOLOGY, power.POWER_HOSTS, power.ONPREM_ASSETS, power.POWER_METERS,
    power.POWER_TARIFFS,
)
MART_SUITES: tuple[Suite, ...] = (
    fct_cost.SUITE, marts_finance.FCT_COST_DAILY, marts_finance.FCT_EGRESS_DAILY,
    marts_finance.FCT_GPU_INSTANCE_HOURS_DAILY, marts_finance.FCT_COMMITMENT_DAILY,
    marts_finance.FCT_COMMITMENT_COVERAGE_DAILY, marts_finance.FCT_COMMITMENT_RECOMMENDATION,
    marts_finance.FCT_COST_FORECAST, marts_finance.FCT_COST_ANOMALIES, marts_finance.FCT_BUDGET_STATUS,
    marts_usage.FCT_GPU_UTILIZATION_HOURLY, marts_usage.FCT_REQUESTS_HOURLY, marts_usage.FCT_COUNTER_RESETS_DAILY,
    marts_usage.FCT_POWER_RACK_HOURLY,
    marts_usage.FCT_SITE_ENERGY_DAILY, marts_usage.FCT_ONPREM_COST_DAILY, marts_usage.FCT_SPOT_PRICE_HOURLY,
    marts_usage.FCT_SPOT_SAVINGS_DAILY,
    marts_usage.FCT_SPOT_INTERRUPTIONS_DAILY,
    marts_economics.FCT_COST_ALLOCATION_DAILY, marts_economics.FCT_UNIT_ECONOMICS_DAILY,
    marts_economics.FCT_GPU_EFFICIENCY_DAILY, marts_economics.FCT_BOTTLENECK_HOURLY,
    marts_economics.FCT_SERVICE_COSTS_MONTHLY, marts_economics.FCT_HEADLINE_MONTHLY,
    marts_economics.FCT_GPU_HOUR_PRICE_COMPARISON,
    marts_fleet.FCT_GPU_CAPACITY_HOURLY, marts_fleet.FCT_GPU_TEAM_USAGE_DAILY, marts_fleet.FCT_TRAINING_DAILY,
    marts_fleet.FCT_TRAINING_RUNS, marts_fleet.FCT_GPU_RIGHTSIZING,
)
ALL_SUITES: tuple[Suite, ...] = RAW_SUITES + MART_SUITES
