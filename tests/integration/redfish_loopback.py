"""A Redfish service on loopback that answers URL for URL from a DMTF mockup folder (short form: ``<folder>/<path>/
index.json``), like DMTF's Redfish-Mockup-Server, with basic or session authentication, optional TLS and delay."""

from __future__ import annotations

import base64
import json
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.integration.loopback import LoopbackServer, send, send_json


class RedfishMockup(LoopbackServer):
    def __init__(self, folder: Path, *, username: str = "admin", password: str = "s3cret-pw",
                 tls: tuple[Path, Path] | None = None, delay_s: float = 0.0) -> None:
        self.folder, self.username, self.password, self.delay_s = folder, username, password, delay_s
        self.tokens: set[str] = set()
        self.requests: list[tuple[str, str]] = []
        super().__init__(tls)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def _authorized(self) -> bool:
                if self.headers.get("X-Auth-Token") in mock.tokens:
                    return True
                want = base64.b64encode(f"{mock.username}:{mock.password}".encode()).decode()
                return self.headers.get("Authorization") == f"Basic {want}"

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                mock.requests.append(("GET", self.path))
                if mock.delay_s:
                    time.sleep(mock.delay_s)
                path = self.path.split("?", 1)[0].rstrip("/")
                if path == "/redfish":
                    return send_json(self, 200, {"v1": "/redfish/v1"})
                if not self._authorized() and path != "/redfish/v1":
                    return send_json(self, 401, {"error": {"message": "unauthorized"}})
                rel = path.removeprefix("/redfish/v1").strip("/")
                f = mock.folder / rel / "index.json"
                if not f.is_file():
                    return send_json(self, 404, {"error": {"message": f"{path} not found"}})
                send(self, 200, f.read_bytes(), "application/json")

            def do_POST(self) -> None:  # noqa: N802
                mock.requests.append(("POST", self.path))
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path.rstrip("/") != "/redfish/v1/SessionService/Sessions":
                    return send_json(self, 405, {})
                if (body.get("UserName"), body.get("Password")) != (mock.username, mock.password):
                    return send_json(self, 401, {"error": {"message": "bad credentials"}})
                token = f"token-{len(mock.tokens) + 1}"
                mock.tokens.add(token)
                self.send_response(201)
                self.send_header("X-Auth-Token", token)
                self.send_header("Location", f"/redfish/v1/SessionService/Sessions/{len(mock.tokens)}")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def do_DELETE(self) -> None:  # noqa: N802
                mock.requests.append(("DELETE", self.path))
                mock.tokens.discard(self.headers.get("X-Auth-Token"))
                send_json(self, 204, {})

            def log_message(self, *args: object) -> None:
                pass

        return Handler
