"""The DuckDB warehouse: one file, its DDL, load bookkeeping and read-only SQL access.

Nothing here imports Dagster or the rest of infraledger.
"""

SCHEMAS: tuple[str, ...] = ("raw", "staging", "intermediate", "marts", "quarantine", "audit")
