"""A small Redfish client: basic or session authentication, TLS verification on by default (optional CA bundle),
timeouts and retries. Errors name the endpoint and never the credentials.

``FolderTransport`` answers the same GETs from a folder laid out like a Redfish mockup (``<root>/redfish/v1/<path>/
index.json``, DMTF's "short form"), so saved snapshots and live services go through one walker.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)


class RedfishError(RuntimeError):
    """The service could not be read (auth, TLS, timeout, refused, not JSON); the message names the endpoint."""


class ServiceError(RedfishError):
    """The service as a whole cannot be used (credentials refused, TLS, timeout, refused connection): stop."""


class NotFound(RedfishError):
    """A linked resource does not exist (HTTP 404 / no file)."""


class Transport(Protocol):
    endpoint: str

    def get(self, path: str) -> dict[str, Any]: ...

    def close(self) -> None: ...


@dataclass
class Credentials:
    username: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # never shows the password
        return f"Credentials(username={self.username!r}, password={'***' if self.password else None})"


class HttpTransport:
    """GET Redfish resources over HTTP(S). ``auth`` is ``basic``, ``session`` or ``none``."""

    def __init__(self, endpoint: str, *, credentials: Credentials | None = None, auth: str = "basic",
                 verify_tls: bool = True, ca_bundle: str | None = None, timeout_s: float = 10.0,
                 retries: int = 2) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.timeout_s = timeout_s
        self._session = requests.Session()
        retry = Retry(total=retries, connect=retries, read=retries, backoff_factor=0.5,
                      status_forcelist=(429, 500, 502, 503, 504), allowed_methods=("GET",))
        self._session.mount("http://", HTTPAdapter(max_retries=retry))
        self._session.mount("https://", HTTPAdapter(max_retries=retry))
        # passed on every request: a Session-level value loses to REQUESTS_CA_BUNDLE in requests' merge
        self._verify: bool | str = ca_bundle if (verify_tls and ca_bundle) else verify_tls
        if not verify_tls:
            log.warning("TLS verification is OFF for %s (sources.power.redfish verify_tls: false)", self.endpoint)
        self._session_uri: str | None = None
        creds = credentials or Credentials()
        if auth == "basic" and creds.username:
            self._session.auth = (creds.username, creds.password or "")
        elif auth == "session" and creds.username:
            self._login(creds)

    def _request(self, method: str, url: str, **kw: Any) -> requests.Response:
        try:
            resp = self._session.request(method, url, timeout=self.timeout_s, verify=self._verify, **kw)
        except requests.exceptions.SSLError as exc:
            raise ServiceError(f"TLS verification failed for {url} (set ca_bundle, or verify_tls: false "
                               f"to accept it knowingly): {type(exc).__name__}") from None
        except requests.exceptions.Timeout:
            raise ServiceError(f"{url} did not answer within {self.timeout_s:g} s") from None
        except requests.exceptions.RetryError as exc:
            raise ServiceError(f"{url} kept failing after retries: {exc.__class__.__name__}") from None
        except requests.exceptions.ConnectionError as exc:
            reason = getattr(exc.args[0] if exc.args else None, "reason", None)
            if isinstance(reason, (ReadTimeoutError, ConnectTimeoutError)):  # retries spent on timeouts
                raise ServiceError(f"{url} did not answer within {self.timeout_s:g} s") from None
            raise ServiceError(f"cannot connect to {url}: {type(exc).__name__}") from None
        if resp.status_code in (401, 403):
            raise ServiceError(f"{url} refused the credentials (HTTP {resp.status_code}); check the username and "
                               "password environment variables")
        return resp

    def _login(self, creds: Credentials) -> None:
        url = f"{self.endpoint}/redfish/v1/SessionService/Sessions"
        resp = self._request("POST", url, json={"UserName": creds.username, "Password": creds.password})
        token = resp.headers.get("X-Auth-Token")
        if resp.status_code >= 300 or not token:
            raise ServiceError(f"session login at {url} failed (HTTP {resp.status_code})")
        self._session.headers["X-Auth-Token"] = token
        self._session_uri = resp.headers.get("Location")

    def get(self, path: str) -> dict[str, Any]:
        url = path if "://" in path else f"{self.endpoint}{path}"
        resp = self._request("GET", url)
        if resp.status_code == 404:
            raise NotFound(f"{url}: not found (HTTP 404)")
        if resp.status_code >= 400:
            raise RedfishError(f"{url}: HTTP {resp.status_code}")
        try:
            return resp.json()
        except ValueError:
            raise RedfishError(f"{url}: the answer is not JSON") from None

    def close(self) -> None:
        if self._session_uri:
            try:
                self._request("DELETE", self._session_uri if "://" in self._session_uri
                              else f"{self.endpoint}{self._session_uri}")
            except RedfishError as exc:
                log.warning("could not end the Redfish session: %s", exc)
        self._session.close()


class FolderTransport:
    """GETs answered from a mockup-shaped folder (``<root>/redfish/v1/...`` or a folder that is the service root)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.endpoint = f"file://{root}"
        self._base = root if (root / "index.json").exists() and not (root / "redfish").exists() else root / "redfish" / "v1"

    def get(self, path: str) -> dict[str, Any]:
        rel = path.split("#", 1)[0].strip("/")
        rel = rel.removeprefix("redfish/v1").strip("/")
        f = self._base / rel / "index.json"
        if not f.is_file():
            raise NotFound(f"{self.endpoint}/{rel}: not found")
        try:
            return json.loads(f.read_text())
        except ValueError:
            raise RedfishError(f"{f}: not JSON") from None

    def close(self) -> None:
        pass
