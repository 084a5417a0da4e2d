"""A small run of the telemetry benchmark harness: both steps load every generated point (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

from bench.telemetry_ingest import main


def test_telemetry_bench_loads_every_point_both_ways(tmp_path: Path, capsys) -> None:
    figures = main(["--gpus", "4", "--metrics", "3", "--keep", str(tmp_path / "bench"), "--json"])
    points = 4 * 3 * 1440
    assert figures["infraledger"]["rows"] == figures["duckdb_read_json"]["rows"] == points
    assert figures["infraledger"]["peak_rss_bytes"] > 0
    assert '"ratio_to_raw"' in capsys.readouterr().out
