"""Scrape any Prometheus ``/metrics`` endpoint: fetch with a timeout, keep the body as a file, read it back.

A saved scrape starts with a comment naming its target and time (``# infraledger-scrape target=... at=...``), which
exposition parsers ignore, so a file found later still says where it came from.
"""

from __future__ import annotations

import datetime as dt
import re
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from collectors.prometheus.exposition import Exposition, parse
from collectors.tls import describe_ssl_error

HEADER = "# infraledger-scrape"


class ScrapeError(RuntimeError):
    """A target could not be scraped (refused, timed out, HTTP error); the message names the target."""


@dataclass(frozen=True)
class Scrape:
    target: str
    fetched_at: dt.datetime
    body: str


def target_url(target: str, default_port: int) -> str:
    """``host``, ``host:port`` or a full URL -> the URL of its /metrics."""
    if "://" in target:
        return target
    return f"http://{target if ':' in target else f'{target}:{default_port}'}/metrics"


def instance_of(target: str, default_port: int) -> str:
    """The ``host:port`` Prometheus would put in the ``instance`` label for this target."""
    rest = target_url(target, default_port).split("://", 1)[1].split("/", 1)[0]
    return rest if ":" in rest else f"{rest}:{80 if target.startswith('http://') else 443}"


def scrape(target: str, timeout_s: float = 5.0, default_port: int = 9400, tls: ssl.SSLContext | None = None) -> Scrape:
    """GET the target's /metrics; refusals, timeouts, TLS and HTTP errors raise ``ScrapeError`` naming the URL.
    ``tls`` is used for https targets (default: verified against the system store)."""
    url = target_url(target, default_port)
    try:
        with urllib.request.urlopen(url, timeout=timeout_s, context=tls) as resp:  # noqa: S310 (configured targets)
            body = resp.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, TimeoutError, ConnectionError, ssl.SSLError) as exc:
        raise ScrapeError(f"scrape of {url} failed: {describe_ssl_error(exc) or exc}") from exc
    return Scrape(target=target, fetched_at=dt.datetime.now(dt.timezone.utc), body=body)


def target_folder(target: str) -> str:
    """A folder name for a target: two exporters behind one host:port (different paths) never share one."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", target.split("://", 1)[-1]).strip("_")


def save(s: Scrape, folder: Path, header: dict[str, str] | None = None) -> Path:
    """Keep the scrape as ``<folder>/<UTC time to the microsecond>.prom`` (atomically), header comment first."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{s.fetched_at:%Y%m%dT%H%M%S.%fZ}.prom"
    tmp = path.with_name(path.name + ".part")
    fields = {"target": s.target, **(header or {})}
    first = HEADER + "".join(f" {k}={v}" for k, v in fields.items()) + "\n"
    tmp.write_text(first + s.body if s.body else "")
    tmp.replace(path)
    return path


def saved_header(text: str) -> dict[str, str]:
    """The ``key=value`` fields of a saved scrape's header comment ({} for a plain capture)."""
    first = text.split("\n", 1)[0]
    if not first.startswith(HEADER):
        return {}
    return dict(f.split("=", 1) for f in first[len(HEADER):].split() if "=" in f)


def scrape_time(path: Path) -> dt.datetime:
    """The UTC time a saved scrape was taken, from its file name (seconds or microseconds)."""
    stem = path.stem
    return dt.datetime.strptime(stem, "%Y%m%dT%H%M%S.%fZ" if "." in stem else "%Y%m%dT%H%M%SZ")


def read_saved(paths: Iterable[Path]) -> Iterable[tuple[Path, str, Exposition]]:
    """(path, text, parsed) of saved scrapes, one at a time (bounded memory)."""
    for p in paths:
        text = p.read_text(encoding="utf-8", errors="replace")
        yield p, text, parse(text)
