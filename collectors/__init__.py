"""Clients that fetch raw source data (billing exports, prices, telemetry, power). No Dagster, no DuckDB."""
