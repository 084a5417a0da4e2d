"""The data-quality history in ``audit.quality_results``: written after each suite run, read by the CLI."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import duckdb

from warehouse.statements import run, statement


@dataclass(frozen=True)
class ResultRow:
    expectation: str
    column: str | None
    severity: str
    success: bool
    unexpected_count: int | None
    observed: str | None


def record_validation(conn: duckdb.DuckDBPyConnection, *, suite: str, asset_key: str, scope: str,
                      run_id: str | None, rows_validated: int, docs_page: str | None, validated_at: dt.datetime,
                      results: list[ResultRow]) -> str:
    """Append one validation (one row per expectation) in a transaction; return its id."""
    validation_id = uuid.uuid4().hex
    conn.begin()
    try:
        conn.executemany(
            statement("quality_result_insert"),
            [(validation_id, suite, asset_key, scope, run_id, r.expectation, r.column, r.severity, r.success,
              r.unexpected_count, r.observed, rows_validated, docs_page, validated_at) for r in results],
        )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return validation_id


def latest_results(conn: duckdb.DuckDBPyConnection) -> list[tuple]:
    """``(asset_key, suite, validated_at, rules, errors, warnings)`` of each suite's latest validation."""
    return run(conn, "quality_latest_results").fetchall()
