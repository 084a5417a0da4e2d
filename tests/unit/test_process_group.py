"""`run_process_group` (behind `infraledger ui`): a group that ignores SIGTERM is killed once its grace is over, so a
service manager's stop or a Ctrl-C always ends the UI and everything it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import group_alive

pytestmark = pytest.mark.unit
REPO = Path(__file__).resolve().parents[2]


def test_a_group_that_ignores_sigterm_is_killed_after_the_grace(tmp_path: Path) -> None:
    started = tmp_path / "started"
    stubborn = f'trap "" TERM; sleep 600 & echo $! > {started}; wait'  # SIG_IGN is inherited by the sleep too
    runner = ("import sys; from pipelines.cli import run_process_group; "
              f"sys.exit(run_process_group(['bash', '-c', {stubborn!r}], grace_s=1))")
    proc = subprocess.Popen([sys.executable, "-c", runner], cwd=REPO)
    try:
        deadline = time.monotonic() + 60  # a guard against a hang, not a timing assertion
        while not (started.exists() and started.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.1)
        sleeper = int(started.read_text())
        group = os.getpgid(sleeper)
        assert group != os.getpgid(0)  # its own process group
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        while group_alive(group) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not group_alive(group), "the group outlived run_process_group"
    finally:
        if proc.poll() is None:
            proc.kill()
