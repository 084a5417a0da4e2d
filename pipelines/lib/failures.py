"""Turn errors that a retry cannot fix (bad files, bad configuration) into a Dagster failure without retries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from collectors.aws.cur import ManifestError
from collectors.gcp.catalog import CatalogResponseError
from collectors.inventory.ec2 import Ec2PageError
from collectors.power.topology import TopologyError
from warehouse.loaders.aws_cur import CurFileError, CurSchemaError
from warehouse.loaders.focus import FocusFileError, FocusSchemaError
from warehouse.loaders.gcp_billing import GcpFileError
from warehouse.loaders.prometheus import PrometheusFileError
from warehouse.loaders.spot_prices import SpotPageError

DETERMINISTIC = (ManifestError, CatalogResponseError, CurFileError, CurSchemaError, FocusFileError, FocusSchemaError,
                 GcpFileError, SpotPageError, PrometheusFileError, Ec2PageError, TopologyError, FileNotFoundError)


@contextmanager
def fail_fast_on_bad_input() -> Iterator[None]:
    """Re-raise deterministic input errors as ``dg.Failure(allow_retries=False)`` with the original message;
    network and lock errors propagate unchanged, so the asset's retry policy still covers them."""
    try:
        yield
    except DETERMINISTIC as exc:
        raise dg.Failure(description=f"{type(exc).__name__}: {exc}", allow_retries=False) from exc
