"""The real Dagster webserver on loopback, serving this repository's workspace, for GraphQL and browser tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.integration.loopback import closed_port

REPO_ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def dagster_webserver(dagster_home: Path, log: Path, timeout_s: float = 180,
                      workspace: Path = REPO_ROOT / "workspace.yaml") -> Iterator[str]:
    """Start ``dagster-webserver -w <workspace>`` on a free loopback port; yield its base URL once it answers."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    port = closed_port()
    exe = Path(sys.executable).parent / "dagster-webserver"
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    with open(log, "w") as out:
        proc = subprocess.Popen([str(exe), "-w", str(workspace), "-h", "127.0.0.1",
                                 "-p", str(port)], cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base, proc, timeout_s, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_until_answering(base: str, proc: subprocess.Popen, timeout_s: float, log: Path | None = None) -> None:
    """Return once ``base/server_info`` answers 200; raise if ``proc`` exits first or nothing answers within
    ``timeout_s`` (a guard against a hang, not a measurement)."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the Dagster server exited ({proc.returncode}): "
                               f"{log.read_text()[-2000:] if log else ''}")
        try:
            with urllib.request.urlopen(f"{base}/server_info", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the Dagster server did not answer in {timeout_s} s: "
                               f"{log.read_text()[-2000:] if log else ''}")
        time.sleep(0.5)


def graphql(base: str, query: str, variables: dict | None = None) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    req = urllib.request.Request(f"{base}/graphql", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        doc = json.loads(resp.read())
    if doc.get("errors"):
        raise AssertionError(doc["errors"])
    return doc["data"]
