"""The fault tests use the same real loopback servers as the integration tests."""

from tests.integration.conftest import cert, make_bucket, moto_endpoint  # noqa: F401 (fixtures)
