"""The event log infraledger's dagster.yaml configures (pipelines/lib/sqlite_event_log.py) keeps Dagster's files and
answers: a run's events, materializations and check results read back from a second instance on the same home (the
UI's process) while the writer is open, a running run's new events reach a watcher, history written by Dagster's own
SQLite storage is read after the switch (and the other way round), and only an unedited dagster.yaml of an earlier
release is replaced."""

from __future__ import annotations

import inspect
import threading
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import pytest
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from pipelines.lib.sqlite_event_log import ReusingSqliteEventLogStorage
from pipelines.runner import _POOL_AND_SETTINGS, DAGSTER_YAML, prepare_dagster_home

pytestmark = pytest.mark.unit


@dg.asset
def toy() -> int:
    return 1


@dg.asset_check(asset=toy)
def toy_is_one(toy: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=toy == 1)


CHECK = dg.AssetCheckKey(dg.AssetKey("toy"), "toy_is_one")


def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dagster_yaml: str) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text(dagster_yaml)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def _materialize(instance: dg.DagsterInstance) -> str:
    result = dg.materialize([toy, toy_is_one], instance=instance)
    assert result.success
    return result.run_id


def test_a_second_instance_reads_the_run_while_the_writer_is_open(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _home(tmp_path, monkeypatch, DAGSTER_YAML)
    with dg.DagsterInstance.get() as writer:
        assert isinstance(writer.event_log_storage, ReusingSqliteEventLogStorage)
        first = _materialize(writer)
        with dg.DagsterInstance.get() as reader:  # the UI's process, on the same files
            assert [e.dagster_event_type for e in reader.all_logs(first)] == \
                   [e.dagster_event_type for e in writer.all_logs(first)]
            assert reader.get_latest_materialization_event(dg.AssetKey("toy")).run_id == first
            [record] = reader.event_log_storage.get_asset_check_execution_history(CHECK, limit=1)
            assert record.run_id == first and record.status.value == "SUCCEEDED"
            second = _materialize(writer)  # the reader's reads left nothing locked
            assert reader.get_latest_materialization_event(dg.AssetKey("toy")).run_id == second
            assert len(reader.get_runs()) == 2


def test_a_watcher_sees_new_events_of_a_run_as_they_are_stored(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The UI follows a running run through Dagster's watcher on the run's file: it must still see each event."""
    _home(tmp_path, monkeypatch, DAGSTER_YAML)
    with dg.DagsterInstance.get() as writer, dg.DagsterInstance.get() as reader:
        run_id = _materialize(writer)
        seen: list[str] = []
        arrived = threading.Event()

        def on_event(event, _cursor) -> None:  # noqa: ANN001 (Dagster's callback signature)
            seen.append(event.message or "")
            if "after the watch began" in (event.message or ""):
                arrived.set()

        reader.event_log_storage.watch(run_id, None, on_event)  # from the run's first event
        try:
            writer.report_engine_event("after the watch began", writer.get_run_by_id(run_id))
            assert arrived.wait(20), f"the watcher saw {seen}"
        finally:
            reader.event_log_storage.end_watch(run_id, on_event)


@pytest.mark.parametrize("before, after", [(_POOL_AND_SETTINGS, DAGSTER_YAML), (DAGSTER_YAML, _POOL_AND_SETTINGS)],
                         ids=["dagster_default_then_reusing", "reusing_then_dagster_default"])
def test_history_carries_over_between_the_two_storages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       before: str, after: str) -> None:
    home = _home(tmp_path, monkeypatch, before)
    with dg.DagsterInstance.get() as instance:
        first = _materialize(instance)
    (home / "dagster.yaml").write_text(after)
    with dg.DagsterInstance.get() as instance:
        assert type(instance.event_log_storage) is (
            ReusingSqliteEventLogStorage if after == DAGSTER_YAML else SqliteEventLogStorage)
        assert instance.get_latest_materialization_event(dg.AssetKey("toy")).run_id == first
        [record] = instance.event_log_storage.get_asset_check_execution_history(CHECK, limit=1)
        assert record.run_id == first
        second = _materialize(instance)
        assert [r.run_id for r in instance.get_runs()] == [second, first]


def test_only_an_unedited_dagster_yaml_of_an_earlier_release_is_replaced(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = SimpleNamespace(dagster_home=tmp_path / "home")
    monkeypatch.setenv("DAGSTER_HOME", "elsewhere")  # prepare_dagster_home exports its own
    yaml = cfg.dagster_home / "dagster.yaml"
    prepare_dagster_home(cfg)  # type: ignore[arg-type]
    assert yaml.read_text() == DAGSTER_YAML
    yaml.write_text(_POOL_AND_SETTINGS)  # what the release before this one wrote
    prepare_dagster_home(cfg)  # type: ignore[arg-type]
    assert yaml.read_text() == DAGSTER_YAML
    edited = _POOL_AND_SETTINGS + "run_monitoring:\n  enabled: true\n"
    yaml.write_text(edited)
    prepare_dagster_home(cfg)  # type: ignore[arg-type]
    assert yaml.read_text() == edited


def test_the_dagster_internals_it_builds_on_are_still_there() -> None:
    """It overrides private parts of Dagster's SQLite storage (the pinned release's): a release that renames them
    would silently bypass it, so this fails instead."""
    for name in ("_connect", "has_table", "_has_asset_key_index_cols_on_connection", "_initdb", "conn_string_for_shard",
                 "dispose"):
        assert callable(getattr(SqliteEventLogStorage, name, None)), name
    init = inspect.getsource(SqliteEventLogStorage.__init__)
    assert "_initialized_dbs" in init and "_db_lock" in init
