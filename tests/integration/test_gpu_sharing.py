"""GPU time held under sharing: MIG slices by their profile's share of the GPU, time-sliced GPUs by 1/k of each
minute, whole GPUs by the minute; power and energy of a shared GPU still counted once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from collectors.dcgm.scrape import gpu_rows
from collectors.prometheus.exposition import parse
from tests.dbt_build import dbt_build
from warehouse.connection import writer
from warehouse.loaders.dcgm import load_dcgm_scrapes
from warehouse.loaders.scrapes import ScrapeFile
from warehouse.schema import apply_ddl

pytestmark = [pytest.mark.integration, pytest.mark.slow]
T0 = dt.datetime(2026, 10, 1, 10, 0)


def _line(metric: str, uuid: str, value: float, pod: str, mig: tuple[str, str] | None = None) -> str:
    labels = f'gpu="0",UUID="{uuid}",modelName="NVIDIA H100 80GB HBM3",Hostname="node-1",namespace="ml",pod="{pod}"'
    if mig:
        labels += f',GPU_I_ID="{mig[0]}",GPU_I_PROFILE="{mig[1]}"'
    return f"{metric}{{{labels}}} {value}"


def test_mig_slices_time_slices_and_whole_gpus_hold_their_share(tmp_path: Path) -> None:
    scrapes = []
    for minute in range(30):  # half an hour observed
        lines = [
            # MIG: a 3g.40gb slice (3/7) for svc-a and a 1g.10gb slice (1/7) for svc-b
            _line("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "GPU-mig", 0.5, "svc-a-5f7d8c9b6d-x2x9q", ("1", "3g.40gb")),
            _line("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "GPU-mig", 0.9, "svc-b-5f7d8c9b6d-bxk2n", ("2", "1g.10gb")),
            # time-sliced: two pods on one GPU in the same minute, each holds half of it
            _line("DCGM_FI_DEV_GPU_UTIL", "GPU-ts", 80, "svc-a-5f7d8c9b6d-x2x9q"),
            _line("DCGM_FI_DEV_GPU_UTIL", "GPU-ts", 80, "svc-c-6c8d9f4b7d-qwrtz"),
            _line("DCGM_FI_DEV_POWER_USAGE", "GPU-ts", 300, "svc-a-5f7d8c9b6d-x2x9q"),
            _line("DCGM_FI_DEV_POWER_USAGE", "GPU-ts", 300, "svc-c-6c8d9f4b7d-qwrtz"),
            # the GPU's energy register (mJ), repeated on each pod's row as dcgm-exporter does: 300 W for 60 s a minute
            _line("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "GPU-ts", 5e9 + minute * 18_000_000, "svc-a-5f7d8c9b6d-x2x9q"),
            _line("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "GPU-ts", 5e9 + minute * 18_000_000, "svc-c-6c8d9f4b7d-qwrtz"),
            # a whole GPU for svc-c
            _line("DCGM_FI_DEV_GPU_UTIL", "GPU-whole", 60, "svc-c-6c8d9f4b7d-qwrtz"),
        ]
        text = "\n".join(lines) + "\n"
        f = tmp_path / f"s{minute:02d}.prom"
        f.write_text(text)
        at = T0 + dt.timedelta(minutes=minute)
        scrapes.append(ScrapeFile(f, "node-1", at, gpu_rows(parse(text), at, "node-1")))
    wh = tmp_path / "wh.duckdb"
    with writer(wh) as conn:
        apply_ddl(conn)
        load_dcgm_scrapes(conn, scrapes)
    dbt_build(wh)
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        held = {(g, s): (h, sharing) for g, s, h, sharing in conn.execute(
            "select gpu_uuid, service, gpu_hours_held, sharing from intermediate.int_telemetry__gpu_time_hourly").fetchall()}
        power, energy = conn.execute("select avg_power_w, energy_kwh from marts.fct_gpu_utilization_hourly "
                                     "where gpu_uuid = 'GPU-ts'").fetchone()
    finally:
        conn.close()
    half_hour = 30 / 60
    assert held[("GPU-mig", "svc-a")][0] == pytest.approx(half_hour * 3 / 7)
    assert held[("GPU-mig", "svc-b")][0] == pytest.approx(half_hour * 1 / 7)
    assert held[("GPU-ts", "svc-a")] == (pytest.approx(half_hour / 2), "time_sliced")
    assert held[("GPU-ts", "svc-c")][0] == pytest.approx(half_hour / 2)
    assert held[("GPU-whole", "svc-c")] == (pytest.approx(half_hour), "whole")
    assert held[("GPU-mig", "svc-a")][1] == "mig"
    assert power == pytest.approx(300.0)
    # energy: 29 increments of 18,000 J between the 30 scrapes, once: counted per pod row it would be twice that
    assert energy == pytest.approx(29 * 18_000_000 / 3.6e9, rel=1e-12)
