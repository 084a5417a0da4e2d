"""Dagster's SQLite event log with its connections kept between events: the same files, tables and readers as the
default storage, for the single-machine ``DAGSTER_HOME`` infraledger writes (a shared deployment uses Postgres,
docs/production.md).

Dagster's ``SqliteEventLogStorage`` builds a new SQLAlchemy engine and opens a new connection for every event it
stores, twice for an asset or check event (the run's own file and the cross-run ``index.db``), and asks SQLite
whether two tables and a column exist on each of them. A run of every asset stores ~1,400 events: on the sample
month 13.3-13.5 s of a 57-63 s run went to storing them, 5.4-5.8 s with this (runs of 47-50 s). Here each file
keeps one engine; ``index.db`` keeps one open connection (WAL mode: other processes, the UI and the daemon, still
read and write it, and see each commit at once); and a table or column found once is not looked for again (Dagster
adds them only in ``dagster instance migrate``).

A run's own file is still opened and closed per event: Dagster's UI follows a running run by watching that file
change on disk, which happens when the last connection closes and SQLite copies its write-ahead log back.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from dagster import StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool, StaticPool

RUN_ENGINES_KEPT = 64  # a UI process reads many runs' files: the engines of the most recently used are kept


def event_log_directory(dagster_home: str) -> str:
    """Where Dagster's default SQLite storage keeps the event logs of ``dagster_home`` (so history carries over)."""
    return os.path.join(dagster_home, "history", "runs", "")


class ReusingSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` in the default's folder under ``dagster_home``, reusing engines and the index
    connection, and remembering the schema it has seen. Configured in ``dagster.yaml``::

        event_log_storage:
          module: pipelines.lib.sqlite_event_log
          class: ReusingSqliteEventLogStorage
          config:
            dagster_home: {env: DAGSTER_HOME}
    """

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._index_engine: Engine | None = None
        self._run_engines: OrderedDict[str, Engine] = OrderedDict()  # the most recently used last
        self._tables_seen: set[str] = set()
        self._index_columns_seen = False
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls) -> dict[str, Any]:
        return {"dagster_home": StringSource}

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None,  # type: ignore[override]
                          config_value: Mapping[str, Any]) -> ReusingSqliteEventLogStorage:
        return cls(event_log_directory(config_value["dagster_home"]), inst_data=inst_data)

    def _engine(self, shard: str) -> Engine:
        url = self.conn_string_for_shard(shard)
        if shard == INDEX_SHARD_NAME:  # one connection, used by one thread at a time (under the storage's lock)
            if self._index_engine is None:
                self._index_engine = create_engine(
                    url, poolclass=StaticPool,
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
            return self._index_engine
        # a run's file: connections closed after each use, as Dagster does, so the UI sees a running run's file change
        engine = self._run_engines.pop(shard, None) or create_engine(
            url, poolclass=NullPool, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        self._run_engines[shard] = engine
        while len(self._run_engines) > RUN_ENGINES_KEPT:
            self._run_engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                with conn.begin():
                    yield conn

    def has_table(self, table_name: str) -> bool:
        if table_name in self._tables_seen:
            return True
        found = super().has_table(table_name)
        if found:
            self._tables_seen.add(table_name)
        return found

    def _has_asset_key_index_cols_on_connection(self, conn: Connection) -> bool:
        if not self._index_columns_seen:
            self._index_columns_seen = super()._has_asset_key_index_cols_on_connection(conn)
        return self._index_columns_seen

    def dispose(self) -> None:
        super().dispose()
        with self._db_lock:
            for engine in self._run_engines.values():
                engine.dispose()
            self._run_engines.clear()
            if self._index_engine is not None:
                self._index_engine.dispose()
                self._index_engine = None
