"""Dagster wiring for infraledger: assets, checks, resources, schedules and the CLI."""
