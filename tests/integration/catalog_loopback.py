"""A loopback HTTP server for the Cloud Billing Catalog REST API (``services.list``, ``services.skus.list``), with
page tokens, for ``CloudCatalogClient`` with the REST transport."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.integration.loopback import LoopbackServer, send_json


class FakeCatalog(LoopbackServer):
    def __init__(self, services: list[dict[str, Any]], skus: dict[str, list[list[dict[str, Any]]]]) -> None:
        self.services = services
        self.skus = skus  # service id -> pages of SKUs
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        super().__init__()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: dict[str, Any]) -> None:
                send_json(self, status, body)

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                url = urlparse(self.path)
                query = parse_qs(url.query)
                fake.requests.append((url.path, query))
                page = int(query.get("pageToken", ["0"])[0] or 0)
                if url.path == "/v1/services":
                    return self._send(200, {"services": fake.services})
                parts = url.path.strip("/").split("/")
                if len(parts) == 4 and parts[:2] == ["v1", "services"] and parts[3] == "skus" and parts[2] in fake.skus:
                    pages = fake.skus[parts[2]]
                    body: dict[str, Any] = {"skus": pages[page] if page < len(pages) else []}
                    if page + 1 < len(pages):
                        body["nextPageToken"] = str(page + 1)
                    return self._send(200, body)
                return self._send(404, {"error": {"code": 404, "message": f"not found: {url.path}"}})

            def log_message(self, *args: object) -> None:
                pass

        return Handler
