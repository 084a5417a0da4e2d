"""Several (metric, day) partitions of Prometheus history loaded in one transaction (a backfill's month) land exactly
what loading them one by one lands, and what the query_range answers hold as Prometheus documents them: a matrix of
series, each ``values`` a list of ``[<unix seconds>, "<value>"]``; NaN is a value (stored as NULL), anything else that
is not a number or not within the partition's day is set aside with its reason."""

from __future__ import annotations

import json
import math
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from warehouse.loaders.prometheus import PrometheusFileError, load_query_range_day, load_query_range_days
from warehouse.schema import apply_ddl

pytestmark = pytest.mark.unit

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "prometheus"


def _items(tmp_path: Path, sample_dir: Path) -> list[tuple[str, str, list[Path]]]:
    """The sample period's answers of two metrics (3 days each), a day listed by two overlapping answers, and the
    corpus answer with odd values (NaN, +Inf, words, an unreadable time) as a partition of its own."""
    answers = sample_dir / "prometheus" / "query_range"
    folders = [answers / "DCGM_FI_DEV_GPU_UTIL", answers / "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"]
    items = [(folder.name, f.stem, [f]) for folder in folders for f in sorted(folder.glob("*.json"))]
    metric, day, [first] = items[0]
    overlap = tmp_path / "overlap" / first.name
    overlap.parent.mkdir()
    shutil.copy(first, overlap)
    items[0] = (metric, day, [first, overlap])
    items.append(("DCGM_FI_DEV_GPU_TEMP", "2026-10-01", [CORPUS / "odd_values.json"]))
    return items


def _expected(items: list[tuple[str, str, list[Path]]]) -> dict[str, tuple[int, int, int]]:
    """Per partition, read with json and float() as the API docs describe the answer: (points kept, NaN among them,
    points set aside). ±Inf are values; a series' point at a time it already had (overlapping answers) is kept
    once."""
    out = {}
    for metric, day, files in items:
        start = datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp()
        kept: set[tuple[str, float]] = set()
        nan = bad = 0
        for f in files:
            for series in json.loads(f.read_text())["data"]["result"]:
                labels = json.dumps(series["metric"], sort_keys=True)
                for ts, value in series["values"]:
                    try:
                        t, v = float(ts), float(value)
                    except ValueError:
                        bad += 1
                        continue
                    if math.isinf(t) or not start <= t < start + 86400:
                        bad += 1
                    elif (labels, t) not in kept:
                        kept.add((labels, t))
                        nan += math.isnan(v)
        out[f"{metric}/{day}"] = (len(kept), nan, bad)
    return out


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(str(path))
    apply_ddl(conn)
    return conn


def _contents(conn: duckdb.DuckDBPyConnection) -> tuple[list, list, list, list]:
    # per partition: its points and a fingerprint of every one (time, metric, labels, value, file)
    points = conn.execute("""
        select p._partition, count(*),
               sum(hash(p.sample_time, p.metric, s.series_labels::varchar, p.value, p._source_file))
        from raw.prometheus_samples p join raw.prometheus_series s using (series_id) group by all order by all
    """).fetchall()
    series = conn.execute("""select series_id, metric, series_labels::varchar, hostname, gpu_uuid, gpu_i_id, pod,
                                    instance from raw.prometheus_series order by all""").fetchall()
    quarantine = conn.execute("""select * exclude (load_id, quarantined_at) from quarantine.prometheus_samples
                                 order by all""").fetchall()
    loads = conn.execute("""select partition_key, rows_read, rows_loaded, rows_quarantined, rows_replaced, message
                            from audit.loads where status = 'success' order by all""").fetchall()
    return points, series, quarantine, loads


def test_a_batch_lands_what_one_by_one_lands_and_what_the_answers_hold(tmp_path: Path, sample_dir: Path) -> None:
    items = _items(tmp_path, sample_dir)
    one_by_one = _warehouse(tmp_path / "one.duckdb")
    for metric, day, files in items:
        load_query_range_day(one_by_one, metric=metric, day=day, files=files)
    together = _warehouse(tmp_path / "together.duckdb")
    results = load_query_range_days(together, items)
    small = _warehouse(tmp_path / "small.duckdb")
    load_query_range_days(small, items, max_batch_bytes=2_000_000)  # several batches of a few partitions each

    assert _contents(together) == _contents(one_by_one) == _contents(small)
    assert together.execute("select count(distinct load_id) from audit.loads").fetchone()[0] == len(items)
    expected = _expected(items)
    assert {r.partition_key: (r.rows_loaded, r.notes["nan_points"], r.rows_quarantined) for r in results} == expected
    stored = dict(together.execute("select _partition, count(*) from raw.prometheus_samples group by all").fetchall())
    assert stored == {k: n for k, (n, _, _) in expected.items() if n}
    # the overlapping answers were read twice and kept once; the odd answer's points are set aside with reasons
    first = results[0]
    assert (first.rows_read, first.rows_quarantined, first.notes["answers"]) == (2 * first.rows_loaded, 0, 2)
    reasons = {r for (r,) in together.execute("select reason from quarantine.prometheus_samples").fetchall()}
    assert {"value not a number: fifty", "timestamp unreadable: later"} <= reasons


def test_a_batch_loaded_again_replaces_its_partitions(tmp_path: Path, sample_dir: Path) -> None:
    items = _items(tmp_path, sample_dir)
    conn = _warehouse(tmp_path / "w.duckdb")
    first = load_query_range_days(conn, items)
    before = _contents(conn)[:3]
    again = load_query_range_days(conn, items)
    assert _contents(conn)[:3] == before
    assert [r.rows_replaced for r in again] == [r.rows_loaded for r in first]


def test_a_bad_answer_in_a_batch_lands_the_partitions_before_it_and_names_the_file(tmp_path: Path,
                                                                                  sample_dir: Path) -> None:
    items = _items(tmp_path, sample_dir)[:6]
    items.insert(3, ("DCGM_FI_DEV_GPU_TEMP", "2026-10-02", [CORPUS / "error_answer.json"]))
    conn = _warehouse(tmp_path / "w.duckdb")
    with pytest.raises(PrometheusFileError, match=r"error_answer\.json"):
        load_query_range_days(conn, items)
    landed = {k for (k,) in conn.execute("select distinct _partition from raw.prometheus_samples").fetchall()}
    assert landed == {f"{m}/{d}" for m, d, _ in items[:3]}
    status = conn.execute("""select status, count(*) from audit.loads group by all order by all""").fetchall()
    # the batch's attempt (7 partitions, rolled back), then one by one: three loaded, the bad one failed
    assert status == [("failed", 8), ("success", 3)]


def test_a_day_written_two_ways_is_one_partition_and_the_later_answer_replaces_the_earlier(
        tmp_path: Path, sample_dir: Path) -> None:
    """'2026-10-01' and '20261001' are the same day (ISO 8601 basic form): the two items are one partition, loaded in
    order, so the second answer replaces the first, as two calls of load_query_range_day would; no attempt fails."""
    metric, day, [first] = _items(tmp_path, sample_dir)[1]
    answer = json.loads(first.read_text())
    answer["data"]["result"] = answer["data"]["result"][::2]  # a later answer for the day with half the series
    second = tmp_path / "later" / first.name
    second.parent.mkdir()
    second.write_text(json.dumps(answer))
    conn = _warehouse(tmp_path / "w.duckdb")
    results = load_query_range_days(conn, [(metric, day, [first]), (metric, day.replace("-", ""), [second])])
    one_by_one = _warehouse(tmp_path / "one.duckdb")
    for m, d, files in [(metric, day, [first]), (metric, day, [second])]:
        load_query_range_day(one_by_one, metric=m, day=d, files=files)
    assert _contents(conn)[:3] == _contents(one_by_one)[:3]
    assert [r.rows_replaced for r in results] == [0, results[0].rows_loaded]
    assert conn.execute("select distinct status from audit.loads").fetchall() == [("success",)]
