"""Suites for the usage marts: GPU utilization, requests, counter health, rack power, site energy, spot prices
(latest 7 days)."""

from __future__ import annotations

from pipelines.quality.grain import model_grain
from pipelines.quality.rules import between, in_set, mart_suite, not_null, row_count_at_least, unique

FCT_GPU_UTILIZATION_HOURLY = mart_suite("fct_gpu_utilization_hourly", rules=(
    *not_null("hour_start", "gpu_uuid", "hostname", "samples", "coverage"),
    unique(*model_grain("fct_gpu_utilization_hourly"), why="one row per GPU and hour (the grain dbt declares)"),
    between("coverage", 0, 1, why="a share of the hour"),
    between("avg_gpu_util_pct", 0, 100, why="a percentage"),
    between("avg_sm_active", 0, 1, why="a ratio"),
    between("avg_tensor_active", 0, 1, why="a ratio"),
    between("avg_dram_active", 0, 1, why="a ratio"),
    between("energy_kwh", 0, None, why="energy is never negative, counter resets included"),
    *not_null("provider", severity="warn", mostly=0.9, why="a GPU not in the inventory cannot be costed"),
    between("coverage", 0.5, 1, severity="warn", mostly=0.95, why="most hours should be mostly observed"),
    row_count_at_least(1),
))

FCT_REQUESTS_HOURLY = mart_suite("fct_requests_hourly", rules=(
    *not_null("hour_start", "service", "requests"),
    unique(*model_grain("fct_requests_hourly"), why="one row per service and hour (the grain dbt declares)"),
    between("requests", 0, None, why="counter deltas are never negative after reset handling"),
    between("prompt_tokens", 0, None, why="as above"),
    between("generation_tokens", 0, None, why="as above"),
    between("errors", 0, None, why="as above"),
    between("latency_p99_s", 0, 3600, severity="warn", why="an hour-long p99 is a unit error"),
))

FCT_COUNTER_RESETS_DAILY = mart_suite("fct_counter_resets_daily", rules=(
    *not_null("day", "metric", "series", "resets", "first_values_counted", "first_values_left_out"),
    unique(*model_grain("fct_counter_resets_daily"), why="one row per day, service and metric (the grain dbt declares)"),
    between("series", 1, None, why="a row counts at least one series"),
    between("resets", 0, None, why="a count"),
    between("first_values_left_out", 0, None, why="a count"),
))

FCT_POWER_RACK_HOURLY = mart_suite("fct_power_rack_hourly", rules=(
    *not_null("hour_start", "site", "rack", "avg_kw", "peak_kw", "kwh", "coverage"),
    unique(*model_grain("fct_power_rack_hourly"), why="one row per rack and hour (the grain dbt declares)"),
    between("coverage", 0, 1, why="a share of the hour"),
    between("avg_kw", 0, None, why="power is never negative"),
    between("gpu_share", 0, 1, severity="warn", why="GPUs above the rack's draw means a topology error"),
    between("headroom_kw", 0, None, severity="warn", why="negative headroom: the rack runs above capacity"),
))

FCT_SITE_ENERGY_DAILY = mart_suite("fct_site_energy_daily", rules=(
    *not_null("day", "site", "it_kwh", "facility_kwh", "coverage"),
    unique(*model_grain("fct_site_energy_daily"), why="one row per site and day (the grain dbt declares)"),
    between("coverage", 0, 1, why="a share of the day"),
    between("pue", 1, None, why="facility energy includes IT energy"),
    between("pue", 1, 3, severity="warn", why="a PUE above 3 usually means a missing PDU"),
    between("minutes_without_tariff", 0, 0, severity="warn", why="energy without a tariff is not costed"),
))

FCT_ONPREM_COST_DAILY = mart_suite("fct_onprem_cost_daily", rules=(
    *not_null("day", "host", "currency", "depreciation_cost", "support_cost", "rack_cost", "total_cost"),
    unique(*model_grain("fct_onprem_cost_daily"), why="one row per host and day (the grain dbt declares)"),
    between("total_cost", 0, None, why="owning hardware never pays back by the day"),
    between("energy_cost", 0, None, why="metered energy is never negative"),
    in_set("registered", [True], severity="warn", why="a host missing from the hardware register has no capital cost"),
))

FCT_SPOT_PRICE_HOURLY = mart_suite("fct_spot_price_hourly", rules=(
    *not_null("provider_name", "region", "hour_start", "instance_type", "price_per_hour"),
    unique(*model_grain("fct_spot_price_hourly"),
           why="one price per market and hour (the grain dbt declares; GCP prices are regional: no zone)"),
    between("price_per_hour", 0, None, why="a price is never negative"),
))

FCT_SPOT_SAVINGS_DAILY = mart_suite("fct_spot_savings_daily", rules=(
    *not_null("charge_date", "instance_type", "spot_hours", "price_paid"),
    between("spot_hours", 0, None, why="never negative"),
    between("savings_ratio", -1, 1, severity="warn", why="spot above on-demand for a day is unusual"),
    between("hours_without_on_demand_price", 0, 0, severity="warn", why="hours without a reference price"),
))

FCT_SPOT_INTERRUPTIONS_DAILY = mart_suite("fct_spot_interruptions_daily", rules=(
    *not_null("day", "provider_name", "availability_zone", "instance_type", "billing_currency", "spot_instance_hours",
              "interruptions", "lost_instance_hours", "checkpoint_interval_hours"),
    unique(*model_grain("fct_spot_interruptions_daily"), why="one row per day, account, zone, type and currency"),
    between("spot_instance_hours", 0, None, why="never negative"),
    between("interruptions", 0, None, why="a count"),
    between("lost_instance_hours", 0, None, why="work since the last checkpoint, at most one interval each"),
    between("interruption_rate_per_1k_instance_hours", 0, 100, severity="warn",
            why="more than one interruption per 10 spot instance-hours: check the replacement window"),
))
