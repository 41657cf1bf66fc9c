"""The embedded instance's event log: Dagster's SQLite storage, made cheap per event.

Dagster's consolidated SQLite event log builds a new SQLAlchemy engine for every statement, so
each event opens SQLite again, compiles its statements again and asks again whether its tables
exist: about 10 ms an event, and a run reading a hundred sources writes five events a source.
This storage keeps one engine per process, with a small pool of connections (SQLAlchemy caches
compiled statements per engine), remembers the tables and columns it has found, and commits in
WAL mode without waiting for the disk at every event (`synchronous=NORMAL`: a power cut may lose
the last events, never corrupt the base). A batch of events (Dagster sends the planned events of
a run, and the materializations of its partitions, as batches when DAGSTER_EVENT_BATCH_SIZE is
set) is written in one transaction rather than one per event, and so are the check results a run
stores together (`stored_together`: Dagster sends them one by one). The webserver, the daemon and the
runs share the file as before: SQLite's locks and WAL do not depend on how long a process keeps
its connections.
The PostgreSQL storage (DAGSTER_PG_URL) is Dagster's own, unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property

import sqlalchemy as db
from dagster._core.errors import DagsterInvariantViolationError
from dagster._core.events import DagsterEventType
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.asset_check_execution_record import (
    AssetCheckExecutionRecordStatus,
)
from dagster._core.storage.event_log import ConsolidatedSqliteEventLogStorage
from dagster._core.storage.event_log.schema import (
    AssetCheckExecutionsTable,
    SqlEventLogStorageTable,
)
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import serialize_value
from sqlalchemy.pool import QueuePool

_ONE_ASSET_BATCHES = {DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_OBSERVATION}

# A check's result updates the row its planned event wrote: (asset, check, run, partition) names it.
_CHECKS = AssetCheckExecutionsTable.c
_RESULT_COLUMNS = ("execution_status", "evaluation_event", "evaluation_event_timestamp",
                   "evaluation_event_storage_id", "materialization_event_storage_id", "partition")
_PLANNED_ROW = db.and_(_CHECKS.asset_key == db.bindparam("b_asset_key"),
                       _CHECKS.check_name == db.bindparam("b_check_name"), _CHECKS.run_id == db.bindparam("b_run_id"))
_UPDATE_RESULT = {
    True: AssetCheckExecutionsTable.update().where(db.and_(_PLANNED_ROW, _CHECKS.partition == db.bindparam("b_partition"))),
    False: AssetCheckExecutionsTable.update().where(db.and_(_PLANNED_ROW, _CHECKS.partition.is_(None))),
}


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

    @cached_property
    def _local(self) -> threading.local:
        return threading.local()

    @contextmanager
    def _connect(self) -> Iterator[db.engine.Connection]:
        held = getattr(self._local, "conn", None)
        if held is not None:  # inside `_held`: its connection and its transaction
            with self._within(held):
                yield held
            return
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _held(self) -> Iterator[db.engine.Connection]:
        """One connection and one transaction for everything stored until the block ends (the
        outermost block's, when blocks nest)."""
        held = getattr(self._local, "conn", None)
        if held is not None:
            with self._within(held):
                yield held
            return
        with self._engine.connect() as conn, conn.begin():
            self._local.conn = conn
            try:
                yield conn
            finally:
                if self._local.conn is conn:  # not already let go (`_within`, `_end_together`)
                    self._local.conn = None

    @contextmanager
    def _within(self, held: db.engine.Connection) -> Iterator[None]:
        """A failure inside a held transaction rolls all of it back at once and lets it go: the
        events stored next (the step's failure) then get a connection of their own, not a broken
        transaction, nor a wait on its lock."""
        try:
            yield
        except BaseException:
            self._local.conn = self._local.together = None
            held.rollback()
            raise

    @contextmanager
    def stored_together(self) -> Iterator[None]:
        """The check results this thread stores until the block ends, in one transaction: a run
        reading n sources stores 4n of them one after another (each its own transaction, 0.5 ms).

        Meant around the `yield`s of an asset's results. Any other event ends the transaction
        early, its results committed: a step failing while the asset waits at a `yield` (the
        block still open) must not hold its failure, nor what follows, in a transaction."""
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self._held() as conn:
            self._local.together = conn
            try:
                yield
            finally:
                if getattr(self._local, "together", None) is conn:
                    self._local.together = None

    def _end_together(self) -> None:
        conn = getattr(self._local, "together", None)
        if conn is not None:
            self._local.conn = self._local.together = None
            conn.commit()
            conn.close()

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """A batch in one transaction: a failure stores none of it (Dagster then stores the events
        one by one). The materializations of one asset's partitions are stored as dagster-postgres
        stores them: the events and their tags, then the asset's row once, from the last one."""
        self._end_together()
        kinds = {(e.dagster_event_type, e.dagster_event.asset_key if e.dagster_event else None) for e in events}
        kind, asset_key = next(iter(kinds)) if len(kinds) == 1 else (None, None)
        with self._held() as conn:
            if kind in _ONE_ASSET_BATCHES and asset_key:
                ids = [conn.execute(self.prepare_insert_event(e)).inserted_primary_key[0] for e in events]
                self._store_asset_event_tags(conn, events, ids)
                self._store_asset_event(conn, events[-1], ids[-1])
                return
            for event in events:
                self.store_event(event)

    def store_event(self, event: EventLogEntry) -> None:
        dagster_event = event.dagster_event
        if dagster_event is None or dagster_event.event_type != DagsterEventType.ASSET_CHECK_EVALUATION \
                or not event.run_id:
            self._end_together()
            super().store_event(event)
            return
        self._store_check_result(event)

    def _store_check_result(self, event: EventLogEntry) -> None:
        """What Dagster's storage does with a check's result, in one transaction, with the event
        serialized once (Dagster serializes it again for the checks' table) and statements compiled
        once: a run reading n sources stores 4n results."""
        evaluation = event.get_dagster_event().event_specific_data
        row = self._event_to_row(event)
        target = evaluation.target_materialization_data
        with self._held() as conn:
            event_id = conn.execute(SqlEventLogStorageTable.insert(), row).inserted_primary_key[0]
            result = dict(zip(_RESULT_COLUMNS, (
                (AssetCheckExecutionRecordStatus.SUCCEEDED if evaluation.passed
                 else AssetCheckExecutionRecordStatus.FAILED).value,
                row["event"], row["timestamp"], event_id, target.storage_id if target else None, evaluation.partition)))
            planned = {"b_asset_key": evaluation.asset_key.to_string(), "b_check_name": evaluation.check_name,
                       "b_run_id": event.run_id, "b_partition": evaluation.partition}
            updated = conn.execute(_UPDATE_RESULT[evaluation.partition is not None], {**planned, **result}).rowcount
            if updated == 0:  # no planned row (Dagster's own storage then inserts one too)
                conn.execute(AssetCheckExecutionsTable.insert(), {
                    "asset_key": planned["b_asset_key"], "check_name": evaluation.check_name, "run_id": event.run_id,
                    **result})
            elif updated > 1:
                raise DagsterInvariantViolationError(
                    f"Updated {updated} rows for asset check evaluation {evaluation.asset_check_key} "
                    "as a result of duplicate AssetCheckPlanned events.")

    def has_table(self, table_name: str) -> bool:
        # A table, once there, stays (migrations only add them): only its presence is remembered.
        found = self.__dict__.setdefault("_tables_found", set())
        if table_name not in found and super().has_table(table_name):
            found.add(table_name)
        return table_name in found

    def _store_asset_check_evaluation_planned(self, event: EventLogEntry, event_id: int | None) -> None:
        # Dagster's own writes the same row per partition, serializing the planned event (which
        # names every partition) once per partition: a run of n sources cost n² there.
        planned = event.get_dagster_event().event_specific_data
        keys = planned.partitions_subset.get_partition_keys() if planned.partitions_subset else [None]
        row = dict(asset_key=planned.asset_key.to_string(), check_name=planned.check_name, run_id=event.run_id,
                   execution_status=AssetCheckExecutionRecordStatus.PLANNED.value,
                   evaluation_event=serialize_value(event),
                   evaluation_event_timestamp=self._event_insert_timestamp(event),
                   evaluation_event_storage_id=event_id)
        with self.index_connection() as conn:
            conn.execute(AssetCheckExecutionsTable.insert(), [{**row, "partition": key} for key in keys])

    def _has_asset_key_col_on_connection(self, conn: db.engine.Connection, column_name: str) -> bool:
        # Asked at every asset event (a schema inspection each time); columns, once there, stay.
        found = self.__dict__.setdefault("_asset_key_cols_found", set())
        if column_name not in found and super()._has_asset_key_col_on_connection(conn, column_name):
            found.add(column_name)
        return column_name in found
