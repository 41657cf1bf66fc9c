"""The embedded instance's event log: Dagster's SQLite storage, made cheap per event.

Dagster's consolidated SQLite event log builds a new SQLAlchemy engine for every statement, so
each event opens SQLite again, compiles its statements again and asks again whether its tables
exist: about 10 ms an event, and a run reading a hundred sources writes five events a source.
This storage keeps one engine per process, with a small pool of connections (SQLAlchemy caches
compiled statements per engine), remembers the tables it has found, and commits in WAL mode
without waiting for the disk at every event (`synchronous=NORMAL`: a power cut may lose the last
events, never corrupt the base). The webserver, the daemon and the runs share the file as before:
SQLite's locks and WAL do not depend on how long a process keeps its connections.
The PostgreSQL storage (DAGSTER_PG_URL) is Dagster's own, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import sqlalchemy as db
from dagster._core.storage.event_log import ConsolidatedSqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.pool import QueuePool


def _pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class EmbeddedEventLogStorage(ConsolidatedSqliteEventLogStorage):
    """ConsolidatedSqliteEventLogStorage with one engine per process and its tables remembered."""

    @cached_property
    def _engine(self) -> db.engine.Engine:
        engine = create_engine(self._conn_string, poolclass=QueuePool, pool_size=2, max_overflow=8,
                               connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
        db.event.listen(engine, "connect", _pragmas)
        return engine

    @contextmanager
    def _connect(self) -> Iterator[db.engine.Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    def has_table(self, table_name: str) -> bool:
        # A table, once there, stays (migrations only add them): only its presence is remembered.
        found = self.__dict__.setdefault("_tables_found", set())
        if table_name not in found and super().has_table(table_name):
            found.add(table_name)
        return table_name in found
