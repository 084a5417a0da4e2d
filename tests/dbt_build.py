"""Run the project's real ``dbt build`` against a warehouse file (used by tests that load files directly).

dbt runs in the test's own process, through its programmatic entry point (``dbtRunner``): the same command, project,
profile and adapter as the ``dbt`` executable, without a new interpreter importing dbt for every build (~3-5 s of
each build in a subprocess on 2 cores). dbt-duckdb keeps the warehouse file open in the process after a command;
it is closed after each build, as the end of a ``dbt`` process would close it, so the test can open it again.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.lib.dbt_run import WAREHOUSE_ENV, profile_reads

REPO = Path(__file__).resolve().parents[1]


def _close_warehouse() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for the process (its connection manager's environment)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    env = DuckDBConnectionManager._ENV
    if env is not None:
        DuckDBConnectionManager._ENV = None
        env.close()


def dbt_build(warehouse: Path, dbt_vars: dict[str, object] | None = None, *args: str) -> None:
    """``dbt build`` of every model and test against ``warehouse`` (``args``: more dbt arguments, e.g. --select);
    fails with dbt's output on error."""
    from dbt.cli.main import dbtRunner

    lines: list[str] = []
    command = ["--no-use-colors", "build", "--project-dir", str(REPO / "dbt"), "--profiles-dir", str(REPO / "dbt"),
               "--target-path", str(warehouse.parent / "dbt_target"), "--log-path", str(warehouse.parent / "dbt_logs"),
               *(["--vars", json.dumps(dbt_vars)] if dbt_vars else []), *args]
    with profile_reads(WAREHOUSE_ENV, str(warehouse), {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}):
        try:
            result = dbtRunner(callbacks=[lambda event: lines.append(event.info.msg)]).invoke(command)
        finally:
            _close_warehouse()
    output = "\n".join(str(line) for line in lines)
    assert result.success and result.exception is None, f"{result.exception or ''}\n{output[-6000:]}"
