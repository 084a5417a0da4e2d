"""An HTTP proxy on loopback in front of a real server (moto) that answers the first requests with S3 faults:
503 SlowDown (throttling) and 500 InternalError, in the XML S3 sends, then forwards everything."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler

from tests.integration.loopback import LoopbackServer, send

FAULTS = {
    503: b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
         b"<Message>Please reduce your request rate.</Message></Error>",
    500: b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>'
         b"<Message>We encountered an internal error. Please try again.</Message></Error>",
}


class FaultyProxy(LoopbackServer):
    """``faults`` is the status of each of the next failing requests, in order; ``always`` fails every request."""

    def __init__(self, upstream: str, faults: list[int] | None = None, always: int | None = None) -> None:
        self.upstream = urllib.parse.urlsplit(upstream)
        self.faults = list(faults or [])
        self.always = always
        self.served: list[tuple[str, str, int]] = []
        self.authorizations: list[str] = []   # the Authorization header of every request (SigV4: who signed it)
        self._lock = threading.Lock()
        super().__init__()

    def _next_fault(self) -> int | None:
        with self._lock:
            if self.always:
                return self.always
            return self.faults.pop(0) if self.faults else None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.authorizations.append(self.headers.get("Authorization") or "")
                fault = proxy._next_fault()
                if fault:
                    proxy.served.append((self.command, self.path, fault))
                    send(self, fault, FAULTS[fault], "application/xml")
                    return
                upstream = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                resp = upstream.getresponse()
                data = resp.read()
                proxy.served.append((self.command, self.path, resp.status))
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length", "date", "server"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                upstream.close()

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _relay  # noqa: N815 (http.server API)

            def log_message(self, *args: object) -> None:
                pass

        return Handler
