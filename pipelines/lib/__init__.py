"""Helpers shared by the Dagster definitions (dbt project, translator, metadata)."""
