"""The incremental telemetry models rebuild only the days whose raw samples were (re)loaded since its last build,
and its rows equal a full rebuild's: day by day, after a re-loaded day, and with a counter reset across days."""

from __future__ import annotations

import math
import re
from pathlib import Path

import duckdb
import pytest

from tests.dbt_build import dbt_build
from warehouse.connection import writer
from warehouse.loaders.prometheus import load_query_range_day
from warehouse.schema import ensure_warehouse

pytestmark = [pytest.mark.integration, pytest.mark.slow]
METRICS = ("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_PROF_SM_ACTIVE",
           "DCGM_FI_PROF_NVLINK_TX_BYTES", "vllm:request_success_total", "vllm:prompt_tokens_total")
MODEL = "intermediate.int_telemetry__counter_deltas"
GPU_TIME = "intermediate.int_telemetry__gpu_time_hourly"
GPU_HOURLY = "intermediate.int_telemetry__gpu_hourly"
# the marts built on the incremental models are compared too (they are rebuilt whole, from the increments)
MARTS = ("marts.fct_gpu_utilization_hourly", "marts.fct_bottleneck_hourly")
SELECT = ("--select", "+int_telemetry__counter_deltas", "+int_telemetry__gpu_time_hourly", "+fct_gpu_utilization_hourly",
          "+fct_bottleneck_hourly")


def _load(wh: Path, sample_dir: Path, day: str) -> None:
    with writer(wh) as conn:
        for metric in METRICS:
            folder = sample_dir / "prometheus" / "query_range" / metric.replace(":", "_")
            files = [f for f in [folder / f"{day}.json", sample_dir / "prometheus" / "query_range" / metric / f"{day}.json"]
                     if f.is_file()]
            assert files, (metric, day)
            load_query_range_day(conn, metric=metric, day=day, files=files[:1])


def _tables(wh: Path, tables: tuple[str, ...], built: str, day_column: str) -> tuple[list[tuple], dict[str, object]]:
    """Every row of ``tables`` (without the build time), and per day of ``built`` the time it was last built."""
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        rows: list[tuple] = []
        for table in tables:
            cols = [c for c, *_ in conn.execute(f"describe {table}").fetchall()]
            rows += conn.execute(f"select * {'exclude (_built_at) ' if '_built_at' in cols else ''}from {table} "
                                 "order by all").fetchall()
        days = conn.execute(f"select {day_column}::varchar, max(_built_at) from {built} group by 1").fetchall()
        return rows, dict(days)
    finally:
        conn.close()


def _rows(wh: Path) -> tuple[list[tuple], dict[str, object]]:
    return _tables(wh, (MODEL, GPU_TIME, GPU_HOURLY, *MARTS), MODEL, "sample_day")


def _grain_tested_from(wh: Path) -> str | None:
    """The first day the last build's grain test of stg_telemetry__samples read (None: every day)."""
    tests = (wh.parent / "dbt_target" / "run").rglob("unique_combination_stg_telemet*.sql")
    [sql] = [t.read_text() for t in tests if '"stg_telemetry__samples"' in t.read_text()]
    found = re.search(r"sample_time >= date '(\d{4}-\d{2}-\d{2})'", sql)
    return found.group(1) if found else None


def _same(a: list[tuple], b: list[tuple]) -> bool:
    """Rows equal, doubles to 1e-9 relative: averages are summed in parallel, in no fixed order, so a rebuild of
    the same hour may differ in the last bits (sums of increments are exact and compared exactly)."""
    def close(x: object, y: object) -> bool:
        if isinstance(x, float) and isinstance(y, float):
            return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
        return x == y

    return len(a) == len(b) and all(len(r) == len(q) and all(map(close, r, q)) for r, q in zip(a, b))


def _equals_full_refresh(wh: Path, select: tuple[str, ...], rows, incremental: list[tuple]) -> None:
    """Rebuild the selection whole and compare with the rows the incremental builds left."""
    dbt_build(wh, None, *select, "--full-refresh")
    full, _ = rows(wh)
    assert _same(incremental, full) and len(full) > 0


def test_daily_builds_touch_only_new_days_and_equal_a_full_rebuild(sample_dir: Path, tmp_path: Path) -> None:
    wh = ensure_warehouse(tmp_path / "warehouse.duckdb")
    _load(wh, sample_dir, "2026-10-01")
    dbt_build(wh, None, *SELECT)
    _, first = _rows(wh)
    assert set(first) == {"2026-10-01"}
    assert _grain_tested_from(wh) is None  # a first build tests every point

    _load(wh, sample_dir, "2026-10-02")
    dbt_build(wh, None, *SELECT)
    _, second = _rows(wh)
    assert second["2026-10-01"] == first["2026-10-01"]  # the old day was not rebuilt
    assert second["2026-10-02"] > first["2026-10-01"]
    assert _grain_tested_from(wh) == "2026-10-02"  # the staging grain test reads the new day, not the history

    # a re-loaded day (say Prometheus answered again) is rebuilt, the day before it is not
    _load(wh, sample_dir, "2026-10-03")
    _load(wh, sample_dir, "2026-10-02")
    dbt_build(wh, None, *SELECT)
    incremental, third = _rows(wh)
    assert third["2026-10-01"] == first["2026-10-01"] and third["2026-10-02"] > second["2026-10-02"]
    assert _grain_tested_from(wh) == "2026-10-02"

    _equals_full_refresh(wh, SELECT, _rows, incremental)
    assert _grain_tested_from(wh) is None  # --full-refresh tests every point again
    # the increments across the day boundary are there: every series' first sample of day 2 has a previous value
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        gpu_days = conn.execute(f"select count(distinct sample_day) from {GPU_TIME}").fetchone()[0]
        hourly_days, energy_hours, profiled = conn.execute(
            f"select count(distinct sample_day), count(energy_kwh), count(*) filter (profiling_samples > 0) "
            f"from {GPU_HOURLY}").fetchone()
        firsts = conn.execute(f"select count(*), count(previous_value) from (select * from {MODEL} where "
                              "sample_day = '2026-10-02' qualify row_number() over (partition by metric, series_key "
                              "order by sample_time) = 1)").fetchone()
    finally:
        conn.close()
    assert firsts[0] > 0 and firsts[0] == firsts[1]
    assert gpu_days == 3  # GPU time held is in the comparison above, for every day
    assert hourly_days == 3 and energy_hours > 0 and profiled > 0  # so are the hourly figures and both marts


POWER = "intermediate.int_power__device_minutes"
POWER_MARTS = ("marts.fct_power_rack_hourly", "marts.fct_site_energy_daily")
POWER_SELECT = ("--select", "+fct_power_rack_hourly", "+fct_site_energy_daily")


def _load_power(wh: Path, sample_dir: Path, day: str) -> None:
    """The day's Redfish walks only: without the BMS kW readings (which win every minute they cover) the PDUs' power
    comes from the mains energy registers, whose first increment of a rebuilt day needs the day before."""
    from collectors.power.topology import load_topology
    from pipelines.sources.redfish_walks import walks_of_day
    from warehouse.loaders.power import load_redfish_day, replace_topology

    power = sample_dir / "power"
    with writer(wh) as conn:
        topo = load_topology(power / "topology.yaml")
        replace_topology(conn, topo.racks, topo.hosts, topo.meters, topo.tariffs)
        walks = walks_of_day(day, wh.parent / "no-landing", power)
        assert walks, day
        load_redfish_day(conn, day=day, walks=walks)


def _power_rows(wh: Path) -> tuple[list[tuple], dict[str, object]]:
    return _tables(wh, (POWER, *POWER_MARTS), POWER, "reading_day")


def test_power_minutes_rebuild_only_new_days_with_exact_counter_increments(sample_dir: Path, tmp_path: Path) -> None:
    wh = ensure_warehouse(tmp_path / "warehouse.duckdb")
    _load_power(wh, sample_dir, "2026-10-01")
    dbt_build(wh, None, *POWER_SELECT)
    _, first = _power_rows(wh)
    assert set(first) == {"2026-10-01"}

    _load_power(wh, sample_dir, "2026-10-02")
    _load_power(wh, sample_dir, "2026-10-03")
    dbt_build(wh, None, *POWER_SELECT)
    _, second = _power_rows(wh)
    assert second["2026-10-01"] == first["2026-10-01"] and set(second) == {"2026-10-01", "2026-10-02", "2026-10-03"}

    _load_power(wh, sample_dir, "2026-10-02")  # a re-loaded day is rebuilt (and the days after it)
    dbt_build(wh, None, *POWER_SELECT)
    incremental, third = _power_rows(wh)
    assert third["2026-10-01"] == first["2026-10-01"] and third["2026-10-02"] > second["2026-10-02"]

    _equals_full_refresh(wh, POWER_SELECT, _power_rows, incremental)
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        # day 2's first walk has increments (from day 1's last reading, carried into the rebuild of day 2)
        counted = conn.execute(f"select count(*) from {POWER} where reading_source = 'redfish_kwh_counter' "
                               "and reading_minute = '2026-10-02 00:00:00'").fetchone()[0]
    finally:
        conn.close()
    assert counted > 0


def test_a_day_reloaded_empty_leaves_no_rows_behind(sample_dir: Path, tmp_path: Path) -> None:
    """A raw day replaced by a load with no rows (Prometheus answered an empty matrix, a day's walks withdrawn):
    the incremental models drop that day's rows, as a full rebuild would."""
    import json

    from warehouse.loaders.power import load_redfish_day

    wh = ensure_warehouse(tmp_path / "warehouse.duckdb")
    for day in ("2026-10-01", "2026-10-02"):
        _load(wh, sample_dir, day)
        _load_power(wh, sample_dir, day)
    dbt_build(wh, None, *SELECT, *POWER_SELECT[1:])
    _, before = _rows(wh)
    _, power_before = _power_rows(wh)
    assert set(before) == set(power_before) == {"2026-10-01", "2026-10-02"}

    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"status": "success", "data": {"resultType": "matrix", "result": []}}))
    with writer(wh) as conn:
        for metric in METRICS:
            assert load_query_range_day(conn, metric=metric, day="2026-10-02", files=[empty]).rows_loaded == 0
        assert load_redfish_day(conn, day="2026-10-02", walks=[]).rows_loaded == 0
    dbt_build(wh, None, *SELECT, *POWER_SELECT[1:])
    incremental, after = _rows(wh)
    power_incremental, power_after = _power_rows(wh)
    assert set(after) == set(power_after) == {"2026-10-01"}
    assert after["2026-10-01"] == before["2026-10-01"]  # the day before was not rebuilt
    _equals_full_refresh(wh, SELECT, _rows, incremental)
    _equals_full_refresh(wh, POWER_SELECT, _power_rows, power_incremental)
