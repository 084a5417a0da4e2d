"""Power marts from a meter CSV with duplicates, NaN, empty readings, a gap and a meter reset, checked against a
plain-Python calculation (rack hourly kW / kWh / coverage, site PUE over matched minutes, time-of-use cost)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.dbt_build import dbt_build
from warehouse.connection import writer
from warehouse.loaders.power import CsvMapping, load_bms_day, replace_topology
from warehouse.schema import apply_ddl

pytestmark = [pytest.mark.integration, pytest.mark.slow]
T0 = dt.datetime(2026, 10, 1, 0, 0)
MINUTES = 180
GAP = range(30, 40)             # p2 silent: rack minutes incomplete
NAN_AT, EMPTY_AT, DUP_AT = 50, 51, 60
RESET_AT = 100                  # the utility meter's kWh register restarts from 0
TARIFF = [(0, 60, Decimal("0.0900")), (60, 1440, Decimal("0.1500"))]


def _kw(pdu: str, m: int) -> float:
    return round((3.0 if pdu == "p1" else 2.0) + 0.5 * math.sin(m / 7), 4)


def _write(folder: Path) -> tuple[dict, dict]:
    """The CSV files and the readings as the plain calculation sees them: {(device, minute): kW or kWh}."""
    pdu_kw: dict[tuple[str, int], float] = {}
    lines = ["timestamp,site,room,rack,pdu,kw"]
    for m in range(MINUTES):
        stamp = (T0 + dt.timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for pdu in ("p1", "p2"):
            if pdu == "p2" and m in GAP:
                continue
            value = f"{_kw(pdu, m):.4f}"
            if pdu == "p1" and m == NAN_AT:
                value = "NaN"
            elif pdu == "p1" and m == EMPTY_AT:
                value = ""
            else:
                pdu_kw[(pdu, m)] = float(value)
            lines.append(f"{stamp},site-1,room-1,r1,{pdu},{value}")
            if m == DUP_AT:
                lines.append(lines[-1])
    (folder / "pdus-2026-10-01.csv").write_text("\n".join(lines) + "\n")
    register, meter = 5000.0, {}
    lines = ["timestamp,site,meter,kwh"]
    for m in range(MINUTES):
        it = sum(pdu_kw.get((p, m), 2.5) for p in ("p1", "p2"))
        register = 0.0 if m == RESET_AT else register + it * 1.4 / 60
        meter[m] = round(register, 6)
        naive = (T0 + dt.timedelta(minutes=m, hours=2)).strftime("%Y-%m-%d %H:%M:%S")  # Europe/Berlin in October
        lines.append(f"{naive},site-1,main,{meter[m]}")
    (folder / "meter-2026-10-01.csv").write_text("\n".join(lines) + "\n")
    return pdu_kw, meter


def test_rack_and_site_marts_match_a_plain_calculation(tmp_path: Path) -> None:
    pdu_kw, meter = _write(tmp_path)
    wh = tmp_path / "wh.duckdb"
    with writer(wh) as conn:
        apply_ddl(conn)
        replace_topology(conn, [("site-1", "room-1", "r1", 10.0, "p1"), ("site-1", "room-1", "r1", 10.0, "p2")],
                         [], [("site-1", "main")],
                         [("site-1", "USD", a, b, rate) for a, b, rate in TARIFF])
        files = [tmp_path / "pdus-2026-10-01.csv", tmp_path / "meter-2026-10-01.csv"]
        berlin = CsvMapping(timezone="Europe/Berlin")  # for the meter's naive times; the PDU file says Z
        for _ in range(2):  # loading the day again replaces it: nothing counted twice
            day_load = load_bms_day(conn, day="2026-10-01", files=files, mapping=berlin)
    assert day_load.rows_loaded == 2 * MINUTES - len(GAP) + MINUTES and day_load.notes["missing_readings"] == 2
    assert day_load.notes["duplicate_readings"] == 2 and day_load.rows_quarantined == 0
    dbt_build(wh)

    # plain calculation
    hours: dict[dt.datetime, dict] = defaultdict(lambda: {"kw": [], "samples": 0})
    for m in range(MINUTES):
        h = T0 + dt.timedelta(hours=m // 60)
        present = [pdu_kw[(p, m)] for p in ("p1", "p2") if (p, m) in pdu_kw]
        hours[h]["samples"] += len(present)
        if len(present) == 2:
            hours[h]["kw"].append(sum(present))
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        rows = conn.execute("select hour_start, samples, coverage, avg_kw, peak_kw, kwh, headroom_kw "
                            "from marts.fct_power_rack_hourly order by 1").fetchall()
        day = conn.execute("select matched_minutes, it_kwh, facility_kwh, pue, energy_cost, currency "
                           "from marts.fct_site_energy_daily").fetchone()
    finally:
        conn.close()
    assert [r[0] for r in rows] == sorted(hours)
    for h, samples, coverage, avg_kw, peak_kw, kwh, headroom in rows:
        want = hours[h]["kw"]
        assert samples == hours[h]["samples"] and coverage == pytest.approx(len(want) / 60)
        assert avg_kw == pytest.approx(sum(want) / len(want)) and peak_kw == pytest.approx(max(want))
        assert kwh == pytest.approx(sum(want) / 60) and headroom == pytest.approx(10.0 - max(want))

    # site: facility energy per minute from the register (reset -> the new value; first reading contributes 0)
    matched, it_kwh, fac_kwh, cost = 0, 0.0, 0.0, Decimal(0)
    for m in range(1, MINUTES):
        inc = meter[m] if meter[m] < meter[m - 1] else meter[m] - meter[m - 1]
        rate = next(r for a, b, r in TARIFF if a <= m < b)
        cost += Decimal(str(inc)) * rate
        present = [pdu_kw[(p, m)] for p in ("p1", "p2") if (p, m) in pdu_kw]
        if len(present) == 2:
            matched += 1
            it_kwh += sum(present) / 60
            fac_kwh += inc
    assert day[0] == matched == MINUTES - 1 - len(GAP) - 2  # first meter minute, the gap, NaN and empty
    assert day[1] == pytest.approx(it_kwh) and day[2] == pytest.approx(fac_kwh)
    assert day[3] == pytest.approx(fac_kwh / it_kwh)
    assert abs(day[4] - cost) < Decimal("0.000001") and day[5] == "USD"


def test_redfish_energy_registers_give_the_hours_energy_with_resets(tmp_path: Path) -> None:
    from warehouse.loaders.power import RedfishWalkFile, load_redfish_day

    wh = tmp_path / "wh.duckdb"
    register = [(0, 100.0), (1, 103.0), (2, 2.0), (3, 4.5)]  # kWh at the top of each hour; a reset before hour 2
    walks = [RedfishWalkFile(tmp_path / f"walk-{h}.json", "https://pdu", T0 + dt.timedelta(hours=h),
                             [{"kind": "mains", "device": "pdu-x", "circuit": "AC1", "metric": "energy_kwh",
                               "value": kwh},
                              {"kind": "mains", "device": "pdu-x", "circuit": "AC1", "metric": "power_w",
                               "value": 2900.0}], [])
             for h, kwh in register]
    with writer(wh) as conn:
        apply_ddl(conn)
        replace_topology(conn, [("site-2", "room", "r2", 5.0, "pdu-x")], [], [], [])
        load_redfish_day(conn, day="2026-10-01", walks=walks)
    dbt_build(wh)
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        rows = conn.execute("select hour_start, kwh, avg_kw, coverage from marts.fct_power_rack_hourly "
                            "order by 1").fetchall()
    finally:
        conn.close()
    # hour 0: the first reading contributes nothing, so the power reading stands in for that minute
    assert [(r[0], round(r[1], 6)) for r in rows] == [
        (T0, round(2.9 / 60, 6)), (T0 + dt.timedelta(hours=1), 3.0), (T0 + dt.timedelta(hours=2), 2.0),
        (T0 + dt.timedelta(hours=3), 2.5)]
    assert rows[1][2] == pytest.approx(3.0) and rows[1][3] == pytest.approx(1 / 60)
