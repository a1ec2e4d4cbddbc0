"""Dagster's SQLite instance storage with its event log's connections kept open (.dagster_home/dagster.yaml).

Dagster's ``SqliteEventLogStorage`` opens and closes a SQLite connection for every read and write. A snapshot refresh
writes ~2,100 events (each step, materialization, dbt test and Pandera check), about three transactions each, and
in WAL mode closing the last connection checkpoints the log into the database and fsyncs it: the refresh spent a
third of its time in SQLite ``commit``/``close`` (profiled, issue 31). Here each shard (the index and one file per
run) keeps a small pool of open connections with ``synchronous=NORMAL``: SQLite's recommended WAL setting, which
never corrupts the file; a power cut can lose the last events recorded, not the history before them.

Open connections mean the log is checkpointed into ``<run>.db`` only now and then, and Dagster's webserver learns of
new events of a running run by watching that file change: the watch here also follows ``<run>.db-wal``, where every
commit lands, so the UI's run page still updates live. Postgres (Dagster's production storage) needs none of this."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from contextlib import contextmanager

import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
    SqliteEventLogStorageWatchdog,
)
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
from dagster._serdes import ConfigurableClassData
from watchdog.events import PatternMatchingEventHandler
from watchdog.observers import Observer

# Run shards whose engines stay open: the running runs and the ones the UI just read. Older ones are closed
# (a webserver browsing history would otherwise hold a file handle per run ever viewed).
OPEN_SHARDS = 16


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[tuple[int, str], sa.Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        super().__init__(base_dir, inst_data)

    def _engine(self, shard: str) -> sa.Engine:
        # Keyed by process too: a pooled connection must not cross a fork.
        key = (os.getpid(), shard)
        with self._engines_lock:
            engine = self._engines.get(key)
            if engine is not None:
                self._engines.move_to_end(key)
                return engine
            engine = sa.create_engine(self.conn_string_for_shard(shard), poolclass=sa.pool.QueuePool, pool_size=1,
                                      connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                                                    "check_same_thread": False})
            sa.event.listen(engine, "connect", _synchronous_normal)
            self._engines[key] = engine
            runs = [other for other in self._engines if other[1] != INDEX_SHARD_NAME]
            for stale in runs[:max(0, len(runs) - OPEN_SHARDS)]:
                _dispose(stale, self._engines.pop(stale))
            return engine

    @contextmanager
    def _connect(self, shard: str):
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as connection, connection.begin():
                yield connection

    def _dispose_engines(self, keep_index: bool = False) -> None:
        with self._engines_lock:
            for key in list(self._engines):
                if not (keep_index and key[1] == INDEX_SHARD_NAME):
                    _dispose(key, self._engines.pop(key))

    def wipe(self) -> None:
        self._dispose_engines(keep_index=True)  # the run shards' files are deleted
        super().wipe()

    def dispose(self) -> None:
        self._dispose_engines()  # closing the last connection checkpoints the WAL into each file
        super().dispose()

    def watch(self, run_id, cursor, callback) -> None:
        if not self._obs:
            self._obs = Observer()
            self._obs.start()
        watchdog = _RunShardWatchdog(self, run_id, callback, cursor)
        self._watchers[run_id][callback] = (watchdog, self._obs.schedule(watchdog, self._base_dir, recursive=True))


class _RunShardWatchdog(SqliteEventLogStorageWatchdog):
    """Dagster's watch of a run's shard, fired by its write-ahead log too (where commits land between checkpoints)."""

    def __init__(self, storage, run_id, callback, cursor):
        super().__init__(storage, run_id, callback, cursor)
        PatternMatchingEventHandler.__init__(self, patterns=[self._log_path, f"{self._log_path}-wal"])

    def on_modified(self, event) -> None:
        self._process_log()


def _dispose(key: tuple[int, str], engine: sa.Engine) -> None:
    # A forked child leaves its parent's connections alone (SQLAlchemy's rule for pools across fork).
    engine.dispose(close=key[0] == os.getpid())


def _synchronous_normal(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class ChokepointSqliteStorage(DagsterSqliteStorage):
    """``storage: sqlite`` with the pooled event log; runs and schedules as Dagster keeps them."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(base_dir, inst_data)
        self._event_log_storage = PooledSqliteEventLogStorage(self._event_log_storage._base_dir)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> ChokepointSqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)

    @property
    def event_storage_data(self) -> ConfigurableClassData | None:
        return ConfigurableClassData(__name__, PooledSqliteEventLogStorage.__name__,
                                     f"base_dir: {self._event_log_storage._base_dir}\n")
