"""Headless Chromium for the tests that look at what users see (Debian's chromium, installed through apt where absent
and this runner may; package registries only)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def _install_chromium() -> str | None:
    """Debian's ``chromium`` through apt (as root, or with passwordless sudo; package registries only); None when
    that is not possible here."""
    apt = shutil.which("apt-get")
    if apt is None:
        return None
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in ([apt, "update", "-q"], [apt, "install", "-y", "-q", "--no-install-recommends", "chromium"]):
        if subprocess.run([*prefix, *cmd], capture_output=True, env=env, timeout=900).returncode != 0:
            return None
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or _install_chromium()
    if found is None:
        # not a CI failure: a runner without apt rights must not block every other change (noted in the README)
        pytest.skip("headless chromium is absent and apt-get could not install Debian's chromium here "
                    "(needs root or passwordless sudo, and the Debian registry)")
    return found


def browse(chromium: str, url: str, *args: str, window: str = "3200,2400") -> subprocess.CompletedProcess:
    """Chromium headless on ``url`` with ``args`` (``--dump-dom``, ``--screenshot=PATH``) at a window of ``window``."""
    return subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           f"--window-size={window}", "--virtual-time-budget=30000", *args, url],
                          capture_output=True, text=True, timeout=180)
