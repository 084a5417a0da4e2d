"""A loopback Slack-style incoming webhook: records every JSON body POSTed to it, answers ``status``."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

from tests.integration.loopback import LoopbackServer, send


class WebhookReceiver(LoopbackServer):
    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.received: list[tuple[str, dict]] = []  # (path, body)
        super().__init__()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append((self.path, json.loads(body)))
                send(self, receiver.status, b"ok" if receiver.status < 400 else b"invalid_token", "text/plain")

            def log_message(self, *args: object) -> None:
                pass

        return Handler
