"""A loopback EC2 Query-protocol endpoint answering ``DescribeSpotPriceHistory`` like AWS does: the changes in
[StartTime, EndTime] plus, per series, the change in effect at StartTime; newest first; pages with a NextToken
(sometimes an empty page that still has a NextToken); optional throttling (HTTP 503 ``RequestLimitExceeded``).

moto's implementation returns constant prices and ignores the time window, so it cannot test incremental reads.
"""

from __future__ import annotations

import datetime as dt
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from tests.integration.loopback import LoopbackServer, send

NS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def _ts(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.timezone.utc)


class FakeEc2(LoopbackServer):
    def __init__(self, items: list[dict[str, Any]], page_size: int = 20, throttle_first: int = 0,
                 empty_page_after: int | None = None) -> None:
        self.items = list(items)
        self.page_size = page_size
        self.throttle_left = throttle_first
        self.empty_page_after = empty_page_after
        self.requests: list[dict[str, list[str]]] = []
        self.throttled = 0
        super().__init__()

    def _matching(self, form: dict[str, list[str]]) -> list[dict[str, Any]]:
        start, end = _ts(form["StartTime"][0]), _ts(form["EndTime"][0])
        types = {v for k, vs in form.items() if k.startswith("InstanceType.") for v in vs}
        products = {v for k, vs in form.items() if k.startswith("ProductDescription.") for v in vs}
        chosen = [i for i in self.items
                  if (not types or i.get("InstanceType") in types)
                  and (not products or i.get("ProductDescription") in products)]
        inside = [i for i in chosen if start <= _ts(i["Timestamp"]) <= end]
        in_effect: dict[tuple, dict[str, Any]] = {}
        for i in chosen:  # the change in effect at StartTime, per series
            if _ts(i["Timestamp"]) < start:
                key = (i.get("AvailabilityZone"), i.get("InstanceType"), i.get("ProductDescription"))
                if key not in in_effect or _ts(i["Timestamp"]) > _ts(in_effect[key]["Timestamp"]):
                    in_effect[key] = i
        return sorted(inside + list(in_effect.values()), key=lambda i: i["Timestamp"], reverse=True)

    def _page_xml(self, items: list[dict[str, Any]], token: str | None) -> bytes:
        fields = (("instanceType", "InstanceType"), ("productDescription", "ProductDescription"),
                  ("spotPrice", "SpotPrice"), ("timestamp", "Timestamp"), ("availabilityZone", "AvailabilityZone"))
        body = "".join(
            "<item>" + "".join(f"<{x}>{escape(str(i[k]))}</{x}>" for x, k in fields if i.get(k) is not None) + "</item>"
            for i in items)
        tok = f"<nextToken>{token}</nextToken>" if token else ""
        return (f'<?xml version="1.0" encoding="UTF-8"?><DescribeSpotPriceHistoryResponse xmlns="{NS}">'
                f"<requestId>r-1</requestId><spotPriceHistorySet>{body}</spotPriceHistorySet>{tok}"
                "</DescribeSpotPriceHistoryResponse>").encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: bytes) -> None:
                send(self, status, body, "text/xml")

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
                fake.requests.append(form)
                if form.get("Action") != ["DescribeSpotPriceHistory"]:
                    return self._send(400, b"<Response><Errors><Error><Code>InvalidAction</Code></Error></Errors></Response>")
                if fake.throttle_left > 0:
                    fake.throttle_left -= 1
                    fake.throttled += 1
                    return self._send(503, b"<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
                                           b"<Message>Request limit exceeded.</Message></Error></Errors>"
                                           b"<RequestID>r-throttled</RequestID></Response>")
                matched = fake._matching(form)
                offset = int(form.get("NextToken", ["0"])[0].split("-")[0])
                if fake.empty_page_after is not None and offset == fake.empty_page_after:
                    fake.empty_page_after = None  # an empty page whose token leads on to the same items
                    return self._send(200, fake._page_xml([], f"{offset}-after-empty"))
                page = matched[offset: offset + fake.page_size]
                more = offset + fake.page_size < len(matched)
                return self._send(200, fake._page_xml(page, str(offset + fake.page_size) if more else None))

            def log_message(self, *args: object) -> None:
                pass

        return Handler
