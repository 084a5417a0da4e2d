"""`infraledger ui` runs `dg dev` (webserver and daemon, without the warnings `dagster dev` prints) and stops all of
it when it is told to stop: SIGTERM (a service manager) and Ctrl-C (SIGINT) reach the whole process group, nothing is
left running."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.webserver import wait_until_answering
from tests.integration.loopback import closed_port
from tests.processes import group_alive

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CLI = str(Path(sys.executable).parent / "infraledger")


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        out += [int(c) for c in children]
    return out


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_ui_stops_its_whole_process_group(infraledger_env: Path, sig: signal.Signals, tmp_path: Path) -> None:
    port = closed_port()
    log = (tmp_path / "ui.log").open("w")
    proc = subprocess.Popen([CLI, "ui", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ))
    group: int | None = None
    try:
        wait_until_answering(f"http://127.0.0.1:{port}", proc, timeout_s=240)
        [dagster_dev] = _children(proc.pid)
        group = dagster_dev
        assert group_alive(dagster_dev) and _children(dagster_dev)  # dagster dev and its webserver / daemon
        proc.send_signal(sig)
        proc.wait(timeout=120)
        deadline = time.monotonic() + 60
        while group_alive(dagster_dev) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not group_alive(dagster_dev), "a process of the UI's group outlived infraledger ui"
        started = (tmp_path / "ui.log").read_text()
        assert "Serving dagster-webserver on" in started
        # a clean start: no SupersessionWarning (`dagster dev` is superseded by `dg dev`) nor any other Python warning
        assert not re.search(r"\w+Warning\b", started), started
        assert "does not match the virtual environment" not in started, started
    finally:
        if proc.poll() is None:
            proc.kill()
        if group is not None and group_alive(group):  # a failed run leaves no webserver or daemon behind
            os.killpg(group, signal.SIGKILL)
