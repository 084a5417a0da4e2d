"""Sample facility power: a meter/BMS CSV (site utility meter + rack PDUs, per minute) and Redfish PDU readings.

The on-prem GPU server's draw comes from the same model as its DCGM telemetry, so the GPU share of rack power is
consistent. Dirt on purpose: duplicated CSV readings, empty and NaN readings, and a 10-minute gap on one PDU.
"""

from __future__ import annotations

import csv
import json
import math
from datetime import date, timedelta
from pathlib import Path

import yaml

from collectors.samples import world
from collectors.samples.dcgm import gpu_series

SERVER_OVERHEAD_W = 2200.0  # CPUs, fans, NICs of the 8-GPU server beyond its GPUs
DUPLICATE_MINUTES = (100, 101, 102)
BLANK = ("pdu-a2-1", 0, 200)
NAN_READING = ("pdu-a1-2", 0, 201)
PDU_GAP = ("pdu-a1-1", 1, 900, 910)


def _pue(ts) -> float:
    """Cooling overhead follows the afternoon heat: PUE 1.28..1.52."""
    return 1.40 + 0.12 * math.sin((ts.hour + ts.minute / 60 - 9) / 24 * 2 * math.pi)


def rack_kw(start: date, n_days: int, seed: int) -> dict[str, list[float]]:
    """Per-PDU kW per minute (rack load split evenly across its PDUs)."""
    gpu_w = [0.0] * (n_days * 1440)
    for h in world.HOSTS:
        if h.provider != "onprem":
            continue
        for g in range(h.gpu_count):
            for i, w in enumerate(gpu_series(h, g, start, n_days, seed)["DCGM_FI_DEV_POWER_USAGE"]):
                gpu_w[i] += w or 0.0
    rng = world.rng_for(seed, "power")
    out: dict[str, list[float]] = {}
    for rack, spec in world.RACKS.items():
        pdus = spec["pdus"]
        has_gpu_server = any(h.rack == rack for h in world.HOSTS)
        for pdu in pdus:
            out[pdu] = []
        for i in range(n_days * 1440):
            base = float(spec["other_kw"]) * (0.97 + 0.06 * rng.random())
            servers = (gpu_w[i] + SERVER_OVERHEAD_W) / 1000 if has_gpu_server else 0.0
            for pdu in pdus:
                out[pdu].append(round((base + servers) / len(pdus), 4))
    return out


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    """``power/bms/*.csv`` (one file per day) and ``power/redfish/<time>/redfish/v1/...`` hourly snapshots."""
    pdus = rack_kw(start, n_days, seed)
    rack_of = {pdu: (rack, spec["room"]) for rack, spec in world.RACKS.items() for pdu in spec["pdus"]}
    bms = out / "power" / "bms"
    bms.mkdir(parents=True, exist_ok=True)
    rows_written = 0
    for day_i, d in enumerate(world.days(start, n_days)):
        with open(bms / f"meter-readings-{d.isoformat()}.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["timestamp", "site", "room", "rack", "meter", "kw"])
            for minute in range(1440):
                i = day_i * 1440 + minute
                ts = world.at(start) + timedelta(minutes=i)
                stamp = ts.strftime("%Y-%m-%dT%H:%M:%SZ")
                it_kw = sum(v[i] for v in pdus.values())
                rows = [[stamp, world.SITE, "", "", "utility-main", f"{it_kw * _pue(ts):.4f}"]]
                for pdu, values in pdus.items():
                    rack, room = rack_of[pdu]
                    if pdu == PDU_GAP[0] and day_i == PDU_GAP[1] and PDU_GAP[2] <= minute < PDU_GAP[3]:
                        continue
                    reading = f"{values[i]:.4f}"
                    if (pdu, day_i, minute) == BLANK:
                        reading = ""
                    if (pdu, day_i, minute) == NAN_READING:
                        reading = "NaN"
                    rows.append([stamp, world.SITE, room, rack, pdu, reading])
                if day_i == 0 and minute in DUPLICATE_MINUTES:
                    rows = rows + rows
                w.writerows(rows)
                rows_written += len(rows)
    snapshots = 0
    energy = {pdu: 1000.0 + 137.0 * n for n, pdu in enumerate(pdus)}
    for i in range(n_days * 1440):
        for pdu, values in pdus.items():
            energy[pdu] += values[i] / 60
        if i % 60 != 59:
            continue
        ts = world.at(start) + timedelta(minutes=i + 1)
        root = out / "power" / "redfish" / f"{ts:%Y%m%dT%H%M%SZ}" / "redfish" / "v1"
        _tree(root, list(pdus))
        for pdu, values in pdus.items():
            base = f"/redfish/v1/PowerEquipment/RackPDUs/{pdu}/Mains/AC1"
            watts = values[i] * 1000
            doc = {
                "@odata.type": "#Circuit.v1_7_0.Circuit", "@odata.id": base, "Id": "AC1", "Name": "Mains Input AC1",
                "CircuitType": "Mains", "PhaseWiringType": "ThreePhase5Wire", "NominalVoltage": "AC400V",
                "RatedCurrentAmps": 32, "Status": {"State": "Enabled", "Health": "OK"},
                "PowerWatts": {"DataSourceUri": f"/redfish/v1/PowerEquipment/RackPDUs/{pdu}/Sensors/ACMainPower",
                               "Reading": round(watts, 1)},
                "EnergykWh": {"DataSourceUri": f"/redfish/v1/PowerEquipment/RackPDUs/{pdu}/Sensors/ACMainEnergy",
                              "Reading": round(energy[pdu], 3)},
                "CurrentAmps": {"Reading": round(watts / (3 * 230.0), 2)},
                "Voltage": {"Reading": 230.2},
            }
            _doc(root / "PowerEquipment" / "RackPDUs" / pdu / "Mains" / "AC1", doc)
            for sensor, prop, units in (("ACMainPower", "PowerWatts", "W"), ("ACMainEnergy", "EnergykWh", "kW.h")):
                _doc(root / "PowerEquipment" / "RackPDUs" / pdu / "Sensors" / sensor, {
                    "@odata.type": "#Sensor.v1_7_0.Sensor", "@odata.id": doc[prop]["DataSourceUri"], "Id": sensor,
                    "Reading": doc[prop]["Reading"], "ReadingUnits": units})
            snapshots += 1
    _topology(out / "power" / "topology.yaml")
    _register(out / "power" / "hardware_register.csv")
    return {"power_csv_rows": rows_written, "redfish_snapshots": snapshots}


def _register(path: Path) -> None:
    """The site's hardware register: the GPU server and the racks, with purchase, depreciation, support and space."""
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["asset", "kind", "site", "purchase_date", "currency", "purchase_cost", "depreciation_months",
                      "residual_value", "support_per_month", "space_per_month"])
        for asset, kind, bought, cost, months, residual, support, space in world.ONPREM_ASSETS:
            out.writerow([asset, kind, world.SITE, bought, "USD", cost, months, residual, support, space])


def _doc(folder: Path, doc: dict[str, object]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.json").write_text(json.dumps(doc, indent=1) + "\n")


def _tree(root: Path, pdus: list[str]) -> None:
    """The service root and collections down to each PDU's mains (a snapshot is a mockup-shaped folder)."""
    ref = lambda uri: {"@odata.id": uri}  # noqa: E731
    _doc(root, {"@odata.type": "#ServiceRoot.v1_16_0.ServiceRoot", "@odata.id": "/redfish/v1", "Id": "RootService",
                "RedfishVersion": "1.17.0", "PowerEquipment": ref("/redfish/v1/PowerEquipment")})
    _doc(root / "PowerEquipment", {"@odata.id": "/redfish/v1/PowerEquipment", "Id": "PowerEquipment",
                                   "RackPDUs": ref("/redfish/v1/PowerEquipment/RackPDUs")})
    _doc(root / "PowerEquipment" / "RackPDUs", {
        "@odata.id": "/redfish/v1/PowerEquipment/RackPDUs", "Members@odata.count": len(pdus),
        "Members": [ref(f"/redfish/v1/PowerEquipment/RackPDUs/{p}") for p in pdus]})
    for p in pdus:
        base = f"/redfish/v1/PowerEquipment/RackPDUs/{p}"
        _doc(root / "PowerEquipment" / "RackPDUs" / p, {"@odata.id": base, "Id": p, "Name": f"Rack PDU {p}",
                                                         "Mains": ref(f"{base}/Mains")})
        _doc(root / "PowerEquipment" / "RackPDUs" / p / "Mains", {"@odata.id": f"{base}/Mains",
                                                                   "Members": [ref(f"{base}/Mains/AC1")]})


def _topology(path: Path) -> None:
    """The colocation site as a topology file: racks, PDUs, the GPU server's rack, meter and time-of-use tariff."""
    racks = {}
    for rack, spec in world.RACKS.items():
        racks.setdefault(spec["room"], {})[rack] = {
            "capacity_kw": spec["capacity_kw"], "pdus": list(spec["pdus"]),
            "hosts": [world.node_name(h) for h in world.HOSTS if h.rack == rack]}
    doc = {"sites": {world.SITE: {
        "utility_meters": ["utility-main"],
        "tariff": {"currency": "USD", "time_of_use": [{"from": "07:00", "to": "23:00", "per_kwh": 0.1420},
                                                       {"from": "23:00", "to": "07:00", "per_kwh": 0.0870}]},
        "rooms": {room: {"racks": r} for room, r in racks.items()}}}}
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
