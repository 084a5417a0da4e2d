"""The facility topology file: site -> room -> rack (capacity, PDUs, GPU hosts), the site's utility meters and its
tariff (flat or time-of-use $/kWh). YAML:

    sites:
      iad-colo-1:
        utility_meters: [utility-main]
        tariff: {currency: USD, flat_per_kwh: 0.11}        # or time_of_use: [{from: "07:00", to: "23:00", per_kwh: 0.14}, ...]
        rooms:
          hall-1:
            racks:
              rack-a1: {capacity_kw: 17.3, pdus: [pdu-a1-1, pdu-a1-2], hosts: [gpu-h100-onprem-01]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml


class TopologyError(ValueError):
    """The topology file is invalid; the message names the key."""


@dataclass
class Topology:
    racks: list[tuple[str, str, str, float | None, str]] = field(default_factory=list)   # site, room, rack, kW, pdu
    hosts: list[tuple[str, str]] = field(default_factory=list)                           # host, rack
    meters: list[tuple[str, str]] = field(default_factory=list)                          # site, meter
    tariffs: list[tuple[str, str, int, int, Decimal]] = field(default_factory=list)      # site, cur, from, to, $/kWh


def _known(section: object, keys: set[str], where: str) -> None:
    """A section must be a mapping of known keys: a typo is named, not silently ignored."""
    if section is None:
        return
    if not isinstance(section, dict):
        raise TopologyError(f"{where}: expected a mapping, got {type(section).__name__}")
    unknown = sorted(str(k) for k in section if k not in keys)
    if unknown:
        raise TopologyError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(keys))})")


def _minute(text: object, where: str) -> int:
    if isinstance(text, int) and not isinstance(text, bool):  # YAML 1.1 reads an unquoted 23:00 as 1380 (minutes)
        text = f"{text // 60}:{text % 60:02d}"
    try:
        h, m = str(text).split(":")
        value = int(h) * 60 + int(m)
    except ValueError:
        raise TopologyError(f"{where}: {text!r} is not HH:MM") from None
    if not 0 <= value <= 1440:
        raise TopologyError(f"{where}: {text!r} is not a time of day")
    return value


def load_topology(path: Path) -> Topology:
    try:
        doc = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TopologyError(f"cannot read topology {path}: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sites") or {}, dict):
        raise TopologyError(f"{path}: expected 'sites:' mapping site names to their meters, tariff and rooms")
    _known(doc, {"sites"}, str(path))
    out = Topology()
    for site, s in (doc.get("sites") or {}).items():
        where = f"{path}: sites.{site}"
        _known(s, {"utility_meters", "tariff", "rooms"}, where)
        _known(s.get("tariff"), {"currency", "flat_per_kwh", "time_of_use"}, f"{where}.tariff")
        out.meters += [(site, str(m)) for m in s.get("utility_meters") or []]
        tariff = s.get("tariff") or {}
        currency = str(tariff.get("currency", "USD"))
        if "flat_per_kwh" in tariff:
            out.tariffs.append((site, currency, 0, 1440, Decimal(str(tariff["flat_per_kwh"]))))
        for n, band in enumerate(tariff.get("time_of_use") or []):
            w = f"{where}.tariff.time_of_use[{n}]"
            try:
                rate = Decimal(str(band["per_kwh"]))
            except (KeyError, ArithmeticError):
                raise TopologyError(f"{w}: per_kwh missing or not a number") from None
            out.tariffs.append((site, currency, _minute(band.get("from"), w), _minute(band.get("to"), w), rate))
        for room, r in (s.get("rooms") or {}).items():
            _known(r, {"racks"}, f"{where}.rooms.{room}")
            for rack, spec in ((r or {}).get("racks") or {}).items():
                w = f"{where}.rooms.{room}.racks.{rack}"
                _known(spec, {"capacity_kw", "pdus", "hosts"}, w)
                pdus = spec.get("pdus") or []
                if not pdus:
                    raise TopologyError(f"{w}: pdus must list at least one PDU")
                cap = spec.get("capacity_kw")
                if cap is not None and not isinstance(cap, (int, float)):
                    raise TopologyError(f"{w}.capacity_kw: {cap!r} is not a number")
                out.racks += [(site, room, rack, None if cap is None else float(cap), str(p)) for p in pdus]
                out.hosts += [(str(h), rack) for h in spec.get("hosts") or []]
    return out
