"""Resources: where the project's folders are, how assets are stored between runs, the publication lock."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
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


@contextlib.contextmanager
def publication_lock() -> Iterator[None]:
    """One publication at a time across hosts: an advisory lock when the instance is PostgreSQL.

    On one machine, the file lock beside published/ (pipelines/publish/package.py) is enough; runs
    started on other hosts (a Kubernetes run launcher) share the database instead.
    """
    url = os.environ.get("DAGSTER_PG_URL")
    if not url:
        yield
        return
    import psycopg2

    connection = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://", 1))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", (PUBLICATION_LOCK_KEY,))
        yield
    finally:
        connection.close()  # the session ends, the lock with it
