"""Walk a Redfish service for power readings: rack (and floor) PDUs with their mains, branch circuits and outlets,
chassis power (legacy ``Power.PowerControl``, ``PowerSubsystem`` supplies, ``EnvironmentMetrics``) and telemetry
``MetricReports``. Real services are inconsistent: a link that leads nowhere, a reading that disagrees with the
sensor it cites, a value that is not a number. Those become ``problems``; the walk reads what is there and never
stops on them. Only a service that cannot be used at all (credentials, TLS, timeout, refused) raises.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from collectors.redfish.client import NotFound, RedfishError, ServiceError, Transport

EXCERPTS = {"PowerWatts": "power_w", "EnergykWh": "energy_kwh", "CurrentAmps": "current_a", "Voltage": "voltage_v"}


@dataclass(frozen=True)
class Reading:
    kind: str                      # mains | branch | outlet | pdu_total | chassis | psu | environment | metric_report
    device: str                    # PDU or chassis Id
    circuit: str | None            # circuit / outlet / PSU / PowerControl member / report Id
    metric: str                    # power_w | energy_kwh | current_a | voltage_v
    value: float
    reading_time: dt.datetime | None   # UTC (naive) when the service states it; else the walk's time
    uri: str
    sensor_uri: str | None = None


@dataclass(frozen=True)
class Problem:
    uri: str
    problem: str                   # dangling_link | sensor_disagrees | not_a_number | unreadable
    detail: str


@dataclass
class Walk:
    endpoint: str
    readings: list[Reading] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    resources_read: int = 0


def _members(doc: dict[str, Any]) -> list[str]:
    return [m["@odata.id"] for m in doc.get("Members", []) if isinstance(m, dict) and "@odata.id" in m]


def _link(doc: dict[str, Any], name: str) -> str | None:
    v = doc.get(name)
    return v.get("@odata.id") if isinstance(v, dict) else None


def parse_time(text: str) -> dt.datetime:
    """ISO 8601 with an offset (and maybe nanoseconds) -> naive UTC."""
    t = re.sub(r"(\.\d{6})\d+", r"\1", text.strip()).replace("Z", "+00:00")
    parsed = dt.datetime.fromisoformat(t)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return parsed


class _Walker:
    def __init__(self, transport: Transport, check_sensors: bool) -> None:
        self.t = transport
        self.out = Walk(transport.endpoint)
        self.check_sensors = check_sensors
        self._sensors: dict[str, dict[str, Any] | None] = {}

    def get(self, uri: str, *, linked_from: str | None = None) -> dict[str, Any] | None:
        try:
            doc = self.t.get(uri)
        except NotFound:
            self.out.problems.append(Problem(uri, "dangling_link", f"linked from {linked_from or 'the walk'}"))
            return None
        except ServiceError:
            raise
        except RedfishError as exc:
            self.out.problems.append(Problem(uri, "unreadable", str(exc)))
            return None
        self.out.resources_read += 1
        return doc

    def _number(self, uri: str, name: str, v: Any) -> float | None:
        if v is None:
            return None
        try:
            return float(v)
        except (TypeError, ValueError):
            self.out.problems.append(Problem(uri, "not_a_number", f"{name} = {v!r}"))
            return None

    def _sensor(self, sensor_uri: str, linked_from: str) -> dict[str, Any] | None:
        if sensor_uri not in self._sensors:
            self._sensors[sensor_uri] = self.get(sensor_uri, linked_from=linked_from)
        return self._sensors[sensor_uri]

    def excerpts(self, doc: dict[str, Any], uri: str, kind: str, device: str, circuit: str | None) -> None:
        for prop, metric in EXCERPTS.items():
            ex = doc.get(prop)
            if not isinstance(ex, dict):
                continue
            value = self._number(uri, prop, ex.get("Reading"))
            sensor_uri = ex.get("DataSourceUri")
            if sensor_uri and self.check_sensors:
                sensor = self._sensor(sensor_uri, uri)
                if sensor is not None and value is not None:
                    sv = self._number(sensor_uri, "Reading", sensor.get("Reading"))
                    if sv is not None and abs(sv - value) > 1e-9 * max(1.0, abs(value)):
                        self.out.problems.append(Problem(uri, "sensor_disagrees",
                                                         f"{prop}.Reading {value:g} vs {sensor_uri} {sv:g}"))
            if value is not None:
                self.out.readings.append(Reading(kind, device, circuit, metric, value, None, uri, sensor_uri))
        self._poly_phase(doc, uri, kind, device, circuit)

    def _poly_phase(self, doc: dict[str, Any], uri: str, kind: str, device: str, circuit: str | None) -> None:
        """Three-phase circuits may give only per-line readings: power is their sum, current and voltage per line."""
        lines = doc.get("PolyPhasePowerWatts")
        if isinstance(lines, dict) and not isinstance(doc.get("PowerWatts"), dict):
            values = [self._number(uri, f"PolyPhasePowerWatts.{k}", v.get("Reading"))
                      for k, v in lines.items() if isinstance(v, dict)]
            if values and all(v is not None for v in values):
                self.out.readings.append(Reading(kind, device, circuit, "power_w", sum(values), None, uri))
        for prop, metric in (("PolyPhaseCurrentAmps", "current_a"), ("PolyPhaseVoltage", "voltage_v")):
            single = prop.removeprefix("PolyPhase")
            per_line = doc.get(prop)
            if not isinstance(per_line, dict) or isinstance(doc.get(single), dict):
                continue
            for line, ex in per_line.items():
                v = self._number(uri, f"{prop}.{line}", ex.get("Reading") if isinstance(ex, dict) else None)
                if v is not None:
                    self.out.readings.append(Reading(kind, device, f"{circuit}:{line}", metric, v, None, uri,
                                                     ex.get("DataSourceUri")))

    def pdus(self, root: dict[str, Any]) -> None:
        pe_uri = _link(root, "PowerEquipment")
        pe = self.get(pe_uri, linked_from="/redfish/v1") if pe_uri else None
        if not pe:
            return
        for coll in ("RackPDUs", "FloorPDUs"):
            coll_uri = _link(pe, coll)
            coll_doc = self.get(coll_uri, linked_from=pe_uri) if coll_uri else None
            for pdu_uri in _members(coll_doc or {}):
                pdu = self.get(pdu_uri, linked_from=coll_uri)
                if not pdu:
                    continue
                device = str(pdu.get("Id") or pdu_uri.rsplit("/", 1)[-1])
                for sub, kind in (("Mains", "mains"), ("Branches", "branch"), ("Outlets", "outlet")):
                    sub_uri = _link(pdu, sub)
                    sub_doc = self.get(sub_uri, linked_from=pdu_uri) if sub_uri else None
                    for c_uri in _members(sub_doc or {}):
                        c = self.get(c_uri, linked_from=sub_uri)
                        if c:
                            self.excerpts(c, c_uri, kind, device, str(c.get("Id") or c_uri.rsplit("/", 1)[-1]))
                m_uri = _link(pdu, "Metrics")
                m = self.get(m_uri, linked_from=pdu_uri) if m_uri else None
                if m:
                    self.excerpts(m, m_uri, "pdu_total", device, None)

    def chassis(self, root: dict[str, Any]) -> None:
        coll_uri = _link(root, "Chassis")
        coll = self.get(coll_uri, linked_from="/redfish/v1") if coll_uri else None
        for ch_uri in _members(coll or {}):
            ch = self.get(ch_uri, linked_from=coll_uri)
            if not ch:
                continue
            device = str(ch.get("Id") or ch_uri.rsplit("/", 1)[-1])
            p_uri = _link(ch, "Power")
            power = self.get(p_uri, linked_from=ch_uri) if p_uri else None
            for n, pc in enumerate((power or {}).get("PowerControl", []) or []):
                v = self._number(p_uri, "PowerConsumedWatts", pc.get("PowerConsumedWatts"))
                if v is not None:
                    self.out.readings.append(Reading("chassis", device, str(pc.get("MemberId", n)), "power_w", v,
                                                     None, f"{p_uri}#/PowerControl/{n}"))
            ps_uri = _link(ch, "PowerSubsystem")
            ps = self.get(ps_uri, linked_from=ch_uri) if ps_uri else None
            sup_uri = _link(ps or {}, "PowerSupplies")
            sups = self.get(sup_uri, linked_from=ps_uri) if sup_uri else None
            for s_uri in _members(sups or {}):
                s = self.get(s_uri, linked_from=sup_uri)
                met_uri = _link(s or {}, "Metrics")
                met = self.get(met_uri, linked_from=s_uri) if met_uri else None
                if met:
                    renamed = {**met, "PowerWatts": met.get("InputPowerWatts")}
                    self.excerpts(renamed, met_uri, "psu", device, str((s or {}).get("Id") or s_uri.rsplit("/", 1)[-1]))
            env_uri = _link(ch, "EnvironmentMetrics")
            env = self.get(env_uri, linked_from=ch_uri) if env_uri else None
            if env:
                self.excerpts(env, env_uri, "environment", device, None)

    def reports(self, root: dict[str, Any]) -> None:
        ts_uri = _link(root, "TelemetryService")
        ts = self.get(ts_uri, linked_from="/redfish/v1") if ts_uri else None
        mr_uri = _link(ts or {}, "MetricReports")
        mrs = self.get(mr_uri, linked_from=ts_uri) if mr_uri else None
        for r_uri in _members(mrs or {}):
            r = self.get(r_uri, linked_from=mr_uri)
            for mv in (r or {}).get("MetricValues", []) or []:
                prop = str(mv.get("MetricProperty") or "")
                if not re.search(r"(PowerConsumedWatts|AverageConsumedWatts|PowerWatts)$", prop):
                    continue
                v = self._number(r_uri, prop, mv.get("MetricValue"))
                m = re.search(r"/Chassis/([^/#]+)", prop)
                try:
                    at = parse_time(mv["Timestamp"]) if mv.get("Timestamp") else None
                except ValueError:
                    self.out.problems.append(Problem(r_uri, "not_a_number", f"Timestamp = {mv.get('Timestamp')!r}"))
                    continue
                if v is not None:
                    self.out.readings.append(Reading("metric_report", m.group(1) if m else "unknown",
                                                     str((r or {}).get("Id") or r_uri.rsplit("/", 1)[-1]),
                                                     "power_w", v, at, r_uri))


def walk(transport: Transport, *, check_sensors: bool = True) -> Walk:
    """Every power reading the service offers, and every problem met on the way."""
    try:
        root = transport.get("/redfish/v1")
    except NotFound as exc:
        raise RedfishError(f"{transport.endpoint} has no Redfish service root (/redfish/v1)") from exc
    w = _Walker(transport, check_sensors)
    w.out.resources_read += 1
    w.pdus(root)
    w.chassis(root)
    w.reports(root)
    return w.out
