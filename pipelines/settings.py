"""The effective configuration for this process (read once per definitions load)."""

from __future__ import annotations

from pipelines.config import InfraledgerConfig, load_config


def current_config() -> InfraledgerConfig:
    """Defaults < infraledger.yaml (or $INFRALEDGER_CONFIG) < INFRALEDGER_* environment variables."""
    return load_config()
