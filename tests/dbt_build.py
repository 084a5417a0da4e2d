"""Run the project's real ``dbt build`` against a warehouse file (used by tests that load files directly)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def dbt_build(warehouse: Path, dbt_vars: dict[str, object] | None = None, *args: str) -> None:
    """``dbt build`` of every model and test against ``warehouse`` (``args``: more dbt arguments, e.g. --select);
    fails with dbt's output on error."""
    env = {**os.environ, "INFRALEDGER_WAREHOUSE_PATH": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).parent / "dbt"
    proc = subprocess.run(
        [str(dbt), "build", "--project-dir", str(REPO / "dbt"), "--profiles-dir", str(REPO / "dbt"),
         "--target-path", str(warehouse.parent / "dbt_target"), "--log-path", str(warehouse.parent / "dbt_logs"),
         *(["--vars", json.dumps(dbt_vars)] if dbt_vars else []), *args],
        env=env, capture_output=True, text=True, cwd=warehouse.parent,
    )
    assert proc.returncode == 0, proc.stdout[-6000:]
