"""What the Spark parity test needs on the machine: Java 17 (Debian's openjdk-17-jre-headless) and the project's
``spark`` extra (pyspark with its own jars, dbt-spark). Under CI=true a missing Java is installed from Debian's
packages where the run may (root, apt-get), and anything still missing fails the test; elsewhere it is skipped with
what to install."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess

import pytest

JAVA_PACKAGE = "openjdk-17-jre-headless"


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


def _install_java() -> str:
    """Debian's JRE 17 through apt-get (a package registry, as CI allows); returns what went wrong, or ''."""
    if not shutil.which("apt-get"):
        return "no apt-get on this machine"
    if os.geteuid() != 0:
        return "apt-get needs root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-q"],
                ["apt-get", "install", "-y", "-q", "--no-install-recommends", JAVA_PACKAGE]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            return f"{' '.join(cmd)} failed: {done.stderr.strip()[-500:]}"
    return ""


def require_spark() -> None:
    """Skip (or, under CI=true, fail) unless Java, pyspark and dbt-spark are all here."""
    missing = [what for what, ok in (("pyspark (pip install -e '.[dev]')", _importable("pyspark")),
                                     ("dbt-spark (pip install -e '.[dev]')", _importable("dbt.adapters.spark")))
               if not ok]
    java_problem = ""
    if _java() is None:
        java_problem = _install_java() if _on_ci() else "not installed"
        if _java() is None:
            missing.append(f"java 17 (Debian: {JAVA_PACKAGE}; {java_problem or 'installed but not on PATH'})")
    if missing:
        message = "Spark parity needs " + ", ".join(missing)
        if _on_ci():
            pytest.fail(message + " (CI=true)")
        pytest.skip(message)
