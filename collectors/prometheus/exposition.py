"""Parse the Prometheus text exposition format line by line, so one bad line is set aside, not the whole scrape.

Handles ``# HELP`` / ``# TYPE`` (optional: real captures often lack them), escaped label values (``\\"``,
``\\\\``, ``\\n``), ``NaN`` / ``+Inf`` / ``-Inf`` values, optional millisecond timestamps and blank lines.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_SAMPLE_RE = re.compile(rf"^({_NAME})(\{{.*\}})?\s+(\S+)(?:\s+(-?\d+))?\s*$")
_LABEL_RE = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}


@dataclass(frozen=True)
class Sample:
    """One sample line: metric name, labels, value (NaN allowed), optional timestamp (ms)."""

    name: str
    labels: dict[str, str]
    value: float
    timestamp_ms: int | None
    line_no: int


@dataclass(frozen=True)
class BadLine:
    line_no: int
    line: str
    reason: str


@dataclass
class Exposition:
    samples: list[Sample] = field(default_factory=list)
    bad_lines: list[BadLine] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)    # family name -> counter | gauge | histogram | ...
    helps: dict[str, str] = field(default_factory=dict)


def _labels(text: str) -> dict[str, str]:
    inner = text[1:-1].strip()
    out: dict[str, str] = {}
    pos = 0
    while pos < len(inner):
        m = _LABEL_RE.match(inner, pos)
        if not m:
            raise ValueError(f"unreadable labels near {inner[pos:pos + 40]!r}")
        value = re.sub(r'\\\\|\\"|\\n', lambda e: _UNESCAPE[e.group(0)], m.group(2))
        out[m.group(1)] = value
        pos = m.end()
    return out


def _value(text: str) -> float:
    low = text.lower()
    if low == "nan":
        return math.nan
    if low in ("+inf", "inf"):
        return math.inf
    if low == "-inf":
        return -math.inf
    return float(text)


def parse(text: str) -> Exposition:
    """Every sample of ``text``; lines that cannot be read are returned in ``bad_lines`` with the reason."""
    out = Exposition()
    # lines end at "\n" only: a label value may hold "\r", "\x1c" or "\u2028" (str.splitlines would cut there)
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 3 and parts[1] == "TYPE":
                out.types[parts[2]] = parts[3].strip() if len(parts) > 3 else "untyped"
            elif len(parts) >= 3 and parts[1] == "HELP":
                out.helps[parts[2]] = parts[3] if len(parts) > 3 else ""
            continue
        m = _SAMPLE_RE.match(line)
        if not m:
            out.bad_lines.append(BadLine(n, raw, "not a sample line (name{labels} value [timestamp])"))
            continue
        try:
            labels = _labels(m.group(2)) if m.group(2) else {}
            value = _value(m.group(3))
        except ValueError as exc:
            out.bad_lines.append(BadLine(n, raw, str(exc)))
            continue
        out.samples.append(Sample(m.group(1), labels, value, int(m.group(4)) if m.group(4) else None, n))
    return out


def family_of(name: str, types: dict[str, str]) -> tuple[str, str]:
    """(family, type) of a sample name: histogram ``_bucket``/``_sum``/``_count`` and counter ``_total`` map to
    their family; without TYPE lines the type is ``unknown``."""
    if name in types:
        return name, types[name]
    for suffix in ("_bucket", "_sum", "_count", "_total", "_created"):
        base = name.removesuffix(suffix)
        if base != name and base in types:
            return base, types[base]
    return name, "unknown"
