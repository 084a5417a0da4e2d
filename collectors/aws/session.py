"""boto3 clients with the retry and timeout settings every AWS collector uses."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

MAX_ATTEMPTS = 8


def retry_config(max_attempts: int = MAX_ATTEMPTS) -> Config:
    """Standard retry mode: exponential backoff with jitter on throttling (SlowDown, 503) and 5xx errors."""
    return Config(retries={"mode": "standard", "total_max_attempts": max_attempts}, connect_timeout=10, read_timeout=60)


RETRY_CONFIG = retry_config()


def client(service: str, *, region: str | None = None, endpoint_url: str | None = None,
           profile: str | None = None, access_key_id: str | None = None,
           secret_access_key: str | None = None, max_attempts: int = MAX_ATTEMPTS) -> Any:
    """A boto3 client: explicit keys when both are given, else the default chain (env, profile, instance role)."""
    if access_key_id and secret_access_key:
        session = boto3.session.Session(aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key)
    else:
        session = boto3.session.Session(profile_name=profile) if profile else boto3.session.Session()
    return session.client(service, region_name=region, endpoint_url=endpoint_url, config=retry_config(max_attempts))
