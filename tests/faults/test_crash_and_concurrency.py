"""A load killed with SIGKILL mid-transaction, two writers at once, and readers while a run writes: the warehouse
stays consistent, re-runs count nothing twice, and nobody waits forever."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from collectors.aws.cur import fetch_delivery, find_deliveries
from collectors.samples.aws_cur import EXPORT_NAME
from collectors.storage import LocalStore
from tests.cur_totals import dedup_total
from warehouse.connection import writer
from warehouse.loaders.aws_cur import load_cur_delivery
from warehouse.schema import ensure_warehouse
from warehouse.snapshot import publish, snapshot_path

pytestmark = pytest.mark.integration
REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).parent / "infraledger")

# A child process that loads a CUR delivery and stops inside the load's transaction, after the new rows were
# inserted and the old ones deleted, until it is killed.
STALLED_LOAD = textwrap.dedent("""
    import json, pathlib, sys, time
    import warehouse.loaders.aws_cur as cur
    from warehouse.connection import writer

    wh, marker, delivery_id = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
    files = [pathlib.Path(p) for p in json.loads(sys.argv[4])]
    original = cur.replace_partition

    def stalled(conn, *, stage, **kw):
        def stage_then_wait(c, load_id):
            counts = stage(c, load_id)
            marker.write_text(load_id)
            time.sleep(300)
            return counts
        return original(conn, stage=stage_then_wait, **kw)

    cur.replace_partition = stalled
    with writer(wh) as conn:
        cur.load_cur_delivery(conn, billing_period="2026-10", delivery_id=delivery_id, files=files)
""")

# A child process that holds the write lock until it is told to let go (a file appears) or 120 s pass.
HOLD_LOCK = textwrap.dedent("""
    import pathlib, sys, time
    from warehouse.connection import writer

    wh, marker, release = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    with writer(wh) as conn:
        conn.execute("create table if not exists audit.lock_holder as select 1 as x")
        marker.write_text("holding")
        deadline = time.time() + 120
        while not release.exists() and time.time() < deadline:
            time.sleep(0.1)
""")


def _child(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, proc: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"child exited early: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"child did not reach {path.name} in {timeout_s} s")
        time.sleep(0.05)


def _period(conn: duckdb.DuckDBPyConnection) -> tuple[int, Decimal]:
    return conn.execute("select count(*), sum(cast(line_item_unblended_cost as decimal(38,10))) "
                        "from raw.aws_cur_line_items where _billing_period = '2026-10'").fetchone()


def test_sigkill_mid_load_keeps_the_previous_load_and_the_rerun_counts_once(sample_dir: Path, tmp_path: Path) -> None:
    wh = ensure_warehouse(tmp_path / "w.duckdb")
    store = LocalStore(sample_dir / "aws_cur")
    first, second = sorted(find_deliveries(store, EXPORT_NAME), key=lambda d: d.delivered_at)
    files1 = fetch_delivery(store, first, tmp_path / "landing")
    files2 = fetch_delivery(store, second, tmp_path / "landing")
    with writer(wh) as conn:
        load_cur_delivery(conn, billing_period="2026-10", delivery_id=first.execution_id, files=files1)
        before = _period(conn)
    assert before == dedup_total(files1)

    marker = tmp_path / "staged"
    child = _child(STALLED_LOAD, str(wh), str(marker), second.execution_id, json.dumps([str(f) for f in files2]))
    _wait_for(marker, child)
    os.kill(child.pid, signal.SIGKILL)  # no rollback, no cleanup, no atexit
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    with writer(wh) as conn:
        assert _period(conn) == before  # the killed transaction left nothing behind
        killed = conn.execute("select status, finished_at from audit.loads where load_id = ?",
                              [marker.read_text()]).fetchone()
        assert killed == ("running", None)  # the trace of the attempt, documented as 'died mid-load'
        assert conn.execute("select count(*) from quarantine.aws_cur_line_items where load_id = ?",
                            [marker.read_text()]).fetchone() == (0,)
        for _ in range(2):  # the re-run completes; running it again changes nothing
            load_cur_delivery(conn, billing_period="2026-10", delivery_id=second.execution_id, files=files2)
            assert _period(conn) == dedup_total(files2)
        statuses = dict(conn.execute("select status, count(*) from audit.loads group by 1").fetchall())
    assert statuses == {"success": 3, "running": 1}


@pytest.mark.slow
def test_a_second_writer_fails_fast_with_a_clear_message_then_succeeds(
        infraledger_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_warehouse(infraledger_env)
    marker, release = tmp_path / "holding", tmp_path / "release"
    holder = _child(HOLD_LOCK, str(infraledger_env), str(marker), str(release))
    try:
        _wait_for(marker, holder)
        env = {**os.environ, "INFRALEDGER_WAREHOUSE_LOCK_WAIT_S": "2"}
        run = subprocess.run([CLI, "materialize", "--select", 'key:"raw/gcp_sku_prices"'], capture_output=True,
                             text=True, env=env, timeout=300)
        assert run.returncode != 0
        assert "is locked by another process" in run.stdout + run.stderr
        # it gave up while the lock was still held (nothing released it): its own wait ran out, it did not hang
        assert holder.poll() is None and not release.exists()

        # the same run with a longer wait simply waits for the first writer to finish
        env["INFRALEDGER_WAREHOUSE_LOCK_WAIT_S"] = "120"
        second = subprocess.Popen([CLI, "materialize", "--select", 'key:"raw/gcp_sku_prices"'],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        time.sleep(3)
        release.touch()
        out, err = second.communicate(timeout=300)
        assert second.returncode == 0, err
    finally:
        release.touch()
        holder.wait(timeout=30)
    conn = duckdb.connect(str(infraledger_env), read_only=True)
    try:
        assert conn.execute("select count(*) from audit.lock_holder").fetchone() == (1,)  # the first writer's work
        assert conn.execute("select count(*) from raw.gcp_sku_prices").fetchone()[0] > 0  # the second's
    finally:
        conn.close()


def _hold(wh: Path, tmp_path: Path, name: str) -> tuple[subprocess.Popen, Path]:
    marker, release = tmp_path / f"{name}.holding", tmp_path / f"{name}.release"
    holder = _child(HOLD_LOCK, str(wh), str(marker), str(release))
    _wait_for(marker, holder)
    return holder, release


def _let_go(holder: subprocess.Popen, release: Path) -> None:
    release.touch()
    holder.wait(timeout=30)


def _sql(query: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, "sql", query, "--format", "csv"], capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_readers_during_a_write_get_an_answer_or_a_clear_message_within_seconds(
        infraledger_env: Path, tmp_path: Path) -> None:
    wh = ensure_warehouse(infraledger_env)
    with writer(wh) as conn:
        conn.execute("create table marts.t as select 1 as x")

    # no snapshot published yet: a clear message after the 5 s wait, never a hang
    holder, release = _hold(wh, tmp_path, "first")
    try:
        sql = _sql("select count(*) as n from marts.t")
        assert sql.returncode != 0 and "locked by another process" in sql.stderr
        assert holder.poll() is None and not release.exists()  # answered while the writer still held the file
        # a plain DuckDB client opening the file read-only is refused, naming the lock, while the writer holds it
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(str(wh), read_only=True)
        assert holder.poll() is None
    finally:
        _let_go(holder, release)

    # after a successful run the snapshot is published: readers get its answer while the next run writes
    publish(wh)
    with writer(wh) as conn:
        conn.execute("insert into marts.t values (2)")
    holder, release = _hold(wh, tmp_path, "second")
    try:
        sql = _sql("select count(*) as n from marts.t")
        assert sql.returncode == 0, sql.stderr
        assert sql.stdout.split() == ["n", "1"]  # as of the snapshot, not the write in progress
        assert "answered from the read snapshot" in sql.stderr
        assert holder.poll() is None and not release.exists()  # answered during the write, not after it
        refused = _sql("delete from marts.t")  # the snapshot is as read-only as the warehouse
        assert refused.returncode != 0 and "refused" in refused.stderr
        snap = duckdb.connect(str(snapshot_path(wh)), read_only=True)  # any DuckDB client can read it
        assert snap.execute("select count(*) from marts.t").fetchone() == (1,)
        snap.close()
    finally:
        _let_go(holder, release)
    assert _sql("select count(*) as n from marts.t").stdout.split() == ["n", "2"]
