"""Resources: where the project's folders are, how assets are stored between runs, the publication lock."""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dagster as dg
import pandas as pd
from upath import UPath

from assets.storage import (
    IO_THREADS,
    is_local,
    project_root,
    read_parquet,
    read_staged_many,
    storage_root,
    swap_in,
    write_parquet,
    write_staged,
)
from pipelines.common.locks import (
    Holder,
    LockError,
    kept_from_children,
    say_on_stderr,
    wait_for,
    when,
)
from pipelines.stage.staged import StagedSource


class ProjectPaths(dg.ConfigurableResource):
    """The contributed raw files and the published package."""

    root: str = ""

    @property
    def base(self) -> Path:
        return Path(self.root).resolve() if self.root else project_root()

    @property
    def raw_dir(self) -> Path:
        return self.base / "raw"

    @property
    def published_dir(self) -> Path:
        return self.base / "published"


class TableIOManager(dg.ConfigurableIOManager):
    """Canonical tables as Parquet files, one per asset, typed as their pandera schema made them."""

    base_dir: str = ""

    def _path(self, context: dg.OutputContext | dg.InputContext) -> UPath:
        return storage_root(self.base_dir).joinpath(
            *context.asset_key.path[:-1], context.asset_key.path[-1] + ".parquet"
        )

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        path = self._path(context)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        write_parquet(obj, tmp)
        swap_in(tmp, path)

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        return read_parquet(self._path(context))


class StagedSourceIOManager(dg.ConfigurableIOManager):
    """Staged sources, one folder per source: accepted and rejected rows as Arrow IPC files, the rest as JSON.

    A run may read many sources (a range of partitions): its output maps each partition key to its
    reading. Loading every partition for the consolidation skips sources not staged yet, so one
    source registered but never materialized does not stop the others.
    """

    base_dir: str = ""

    def handle_output(self, context: dg.OutputContext, obj: dict[str, StagedSource]) -> None:
        base = storage_root(self.base_dir)
        if is_local(base):  # a local disk answers at once: threads only add their cost
            for key, staged in obj.items():
                write_staged(base, key, staged)
            return
        with ThreadPoolExecutor(IO_THREADS) as pool:
            list(pool.map(lambda item: write_staged(base, *item), obj.items()))

    def load_input(self, context: dg.InputContext) -> dict[str, StagedSource]:
        base = storage_root(self.base_dir)
        loaded: dict[str, StagedSource] = {}
        keys = sorted(context.asset_partition_keys if context.has_asset_partitions else [])
        for key, staged in read_staged_many(base, keys).items():
            if staged is not None:
                loaded[key] = staged
            else:
                context.log.warning(
                    f"source {key} pas encore lue : elle sera publiée à son prochain passage"
                )
        return loaded


PUBLICATION_LOCK_KEY = (
    1_000_000_001  # the PostgreSQL advisory lock of the publication of published/
)
# A session whose client host is gone ends when its keepalives go unanswered, on either side.
_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
_SERVER_KEEPALIVES = (
    "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3"
)
_HOLDER = """
SELECT a.pid, a.application_name, a.usename, host(a.client_addr), a.backend_start
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = %s::oid AND l.objid = %s::oid
"""


@contextlib.contextmanager
def publication_lock(say: Callable[[str], None] = say_on_stderr) -> Iterator[None]:
    """One publication at a time across hosts: an advisory lock when the instance is PostgreSQL.

    On one machine, the file lock beside published/ (pipelines/publish/package.py) is enough; runs
    started on other hosts (a Kubernetes run launcher) share the database instead. The lock is
    the session's: it ends with the process (its socket closed in every forked child), or, for a
    host gone silent, when the keepalives go unanswered. The session's application_name names
    its holder, so that a waiting publication can say whom it waits for. LockError on timeout.
    """
    url = os.environ.get("DAGSTER_PG_URL")
    if not url:
        yield
        return
    import psycopg2

    try:
        connection = psycopg2.connect(
            url.replace("postgresql+psycopg2://", "postgresql://", 1),
            application_name=f"mille-jours publish {os.getpid()}@{socket.gethostname()}"[:63],
            connect_timeout=30,
            **_KEEPALIVES,
        )
    except psycopg2.Error as exc:
        raise LockError(
            f"base PostgreSQL de l'instance injoignable pour le verrou de publication "
            f"({str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}) : "
            "published/ est inchangé. À faire : vérifier DAGSTER_PG_URL et que le serveur "
            "répond, puis relancer"
        ) from None
    connection.autocommit = True
    try:
        with kept_from_children(connection.fileno()):
            with connection.cursor() as cursor:
                cursor.execute(_SERVER_KEEPALIVES)
            wait_for(
                lambda: _try_advisory_lock(connection),
                lambda: _session_holder(connection),
                "published/",
                say,
            )
            yield
    finally:
        connection.close()  # the session ends, the lock with it


def _try_advisory_lock(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", (PUBLICATION_LOCK_KEY,))
        return bool(cursor.fetchone()[0])


def _session_holder(connection) -> Holder | None:
    """The session holding the publication's advisory lock, as pg_locks and pg_stat_activity show it."""
    with connection.cursor() as cursor:
        cursor.execute(_HOLDER, (PUBLICATION_LOCK_KEY >> 32, PUBLICATION_LOCK_KEY & 0xFFFFFFFF))
        row = cursor.fetchone()
    if row is None:
        return None
    backend, application, user, client, started = row
    remedy = (
        "si elle ne publie plus, terminer sa session PostgreSQL : "
        f"SELECT pg_terminate_backend({backend});"
    )
    pid, _, host = str(application).removeprefix("mille-jours publish ").partition("@")
    if str(application).startswith("mille-jours publish ") and pid.isdigit():
        return Holder(
            f"le processus {pid} sur {host} depuis {when(started)} (session PostgreSQL {backend})",
            remedy,
        )
    return Holder(
        f"la session PostgreSQL {backend} (application « {application or '?'} », utilisateur "
        f"{user}, client {client or 'local'}) depuis {when(started)}",
        remedy,
    )
