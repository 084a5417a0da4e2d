"""Suites for the fleet efficiency marts: stranded capacity, team quotas, training economics, right-sizing."""

from __future__ import annotations

from pipelines.quality.grain import model_grain
from pipelines.quality.rules import Suite, a_not_before_b, between, in_set, mart_suite, not_null, unique

FCT_GPU_CAPACITY_HOURLY = mart_suite("fct_gpu_capacity_hourly", rules=(
    *not_null("hour_start", "cluster", "currency", "gpus_present", "held_gpu_hours", "free_gpu_hours",
              "stranded_gpu_hours", "free_cost", "stranded_cost"),
    unique(*model_grain("fct_gpu_capacity_hourly"), why="one row per hour and cluster (the grain dbt declares)"),
    between("held_gpu_hours", 0, None, why="GPU time is never negative"),
    between("free_gpu_hours", -1e-9, None, why="pods never hold more than was observed"),
    between("stranded_gpu_hours", -1e-9, None, why="a part of the free GPU-hours"),
    between("free_cost", 0, None, why="free GPU-hours cost something or nothing, never a credit"),
))

FCT_GPU_TEAM_USAGE_DAILY = mart_suite("fct_gpu_team_usage_daily", rules=(
    *not_null("day", "team", "gpu_hours_held"),
    unique(*model_grain("fct_gpu_team_usage_daily"), why="one row per day and team (the grain dbt declares)"),
    between("gpu_hours_held", 0, None, why="GPU time is never negative"),
    between("quota_used_share", 0, None, why="a share of the quota"),
))

FCT_TRAINING_DAILY = mart_suite("fct_training_daily", rules=(
    *not_null("day", "job", "currency", "gpu_hours", "cost"),
    unique(*model_grain("fct_training_daily"), why="one row per day, job and currency (the grain dbt declares)"),
    between("gpu_hours", 0, None, why="GPU time is never negative"),
    between("steps", 0, None, why="counter increments, resets handled"),
    between("cost_per_1k_steps", 0, None, why="a training step never pays"),
))

FCT_TRAINING_RUNS = Suite(
    name="fct_training_runs", asset=("marts", "fct_training_runs"), scope="every run",
    rules=(
        *not_null("job", "currency", "started_at", "ended_at", "gpu_hours", "cost"),
        unique(*model_grain("fct_training_runs"), why="one row per job and currency (the grain dbt declares)"),
        a_not_before_b("ended_at", "started_at", why="a run ends after it starts"),
        between("wall_hours", 0, None, why="never negative"),
        between("time_to_train_hours", 0, None, why="the last step comes after the start"),
    ))

FCT_GPU_RIGHTSIZING = Suite(
    name="fct_gpu_rightsizing", asset=("marts", "fct_gpu_rightsizing"), scope="the look-back window",
    rules=(
        *not_null("service", "gpu_model", "hours_observed", "coverage", "recommendation", "monthly_saving",
                  "confidence"),
        unique(*model_grain("fct_gpu_rightsizing"), why="one row per service and GPU model (the grain dbt declares)"),
        in_set("confidence", ["high", "medium", "low"], why="how sure the recommendation is"),
        between("coverage", 0, 1.000001, why="a share of the look-back"),
        between("p95_sm_active", 0, 1.000001, why="an activity ratio"),
        between("monthly_saving", 0, None, why="only cheaper candidates are recommended"),
    ))
