"""POST a Slack-compatible message (``{"text": ...}``) to an incoming-webhook URL. The URL is a secret: it never
appears in what this returns, raises or logs (errors name the receiver's host only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Delivery:
    delivered: bool
    http_status: int | None
    error: str | None


def post_message(url: str, text: str, timeout_s: float) -> Delivery:
    """Send ``text``; a 2xx answer is delivered, anything else (an error status, no answer) is not, with why."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Delivery(False, None, "the webhook URL is not an http(s) URL (INFRALEDGER_ALERT_WEBHOOK_URL)")
    host = parts.hostname
    request = urllib.request.Request(url, data=json.dumps({"text": text}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:  # noqa: S310 (the configured webhook)
            return Delivery(True, answer.status, None)
    except urllib.error.HTTPError as exc:
        return Delivery(False, exc.code, f"{host} answered HTTP {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Delivery(False, None, f"{host} did not answer: {type(reason).__name__}")
