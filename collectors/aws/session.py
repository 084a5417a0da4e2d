"""boto3 clients with the retry and timeout settings every AWS collector uses."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

RETRY_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 8},  # exponential backoff with jitter, throttling included
    connect_timeout=10,
    read_timeout=60,
)


def client(service: str, *, region: str | None = None, endpoint_url: str | None = None,
           profile: str | None = None) -> Any:
    """A boto3 client using the default credential chain (env vars, profile, instance role)."""
    session = boto3.session.Session(profile_name=profile) if profile else boto3.session.Session()
    return session.client(service, region_name=region, endpoint_url=endpoint_url, config=RETRY_CONFIG)
