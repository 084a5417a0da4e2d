"""TLS for the HTTP collectors that use urllib (Prometheus scrapes and query_range): verified by default against
the system store or a given CA bundle; turning verification off takes an explicit setting and warns each time."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable

log = logging.getLogger(__name__)


def client_context(verify_tls: bool = True, ca_bundle: str | None = None, *, what: str,
                   warn: Callable[[str], object] | None = None) -> ssl.SSLContext:
    """An SSL context for ``what`` (a source name, for the warning); ``warn`` also receives the warning."""
    if verify_tls:
        return ssl.create_default_context(cafile=ca_bundle)
    message = f"TLS verification is OFF for {what} (verify_tls: false): any certificate is accepted"
    log.warning(message)
    if warn is not None:
        warn(message)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def describe_ssl_error(exc: BaseException) -> str | None:
    """A plain sentence for a certificate failure inside a urllib error, else None."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return (f"TLS verification failed ({reason.verify_message}): set ca_bundle to the CA that signed the "
                "server's certificate, or verify_tls: false to accept any certificate")
    return None
