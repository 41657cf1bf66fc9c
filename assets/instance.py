"""The Dagster instance of the project: its home (DAGSTER_HOME, else .dagster/) and its dagster.yaml."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assets.instance_storage import (
    PG_URL,
    POSTGRESQL,
    InstanceStorageMismatch,
    Storage,
    recorded_storage,
    replace,
    same_storage,
    storage_of_environment,
    write_once,
)

MARKER = "# Written by mille-jours"
DAGSTER_YAML = (
    MARKER
    + """ (assets/instance.py) at each run: remove this line to keep your own settings.
telemetry:
  enabled: false
# The daemon fails runs stuck starting or cancelling, or past their maximum runtime. The default launcher
# cannot see a run's process die: dead_runs_sensor (assets/recovery.py) finds those.
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  cancel_timeout_seconds: 180
  max_resume_run_attempts: 0
  poll_interval_seconds: 30
  free_slots_after_run_end_seconds: 300
  # A run without its own `dagster/max_runtime` tag (the jobs' tags, assets/jobs.py) is failed after two hours.
  max_runtime_seconds: 7200
# A run whose process died is run again by the daemon, from its failed step; never one that an asset's
# own failure ended (a refused source would be read again and again). A job's `dagster/max_retries`
# tag overrides max_retries (assets/jobs.py: a reading is read again by raw_sources_sensor instead).
run_retries:
  enabled: true
  max_retries: 2
  retry_on_asset_or_op_failure: false
# Runs are queued; one run at a time writes a given batch of sources (the tag of every ingestion run).
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: {max_runs}
    tag_concurrency_limits:
      - key: "mille-jours/sources"
        value:
          applyLimitPerUniqueValue: true
        limit: 1
      - key: "dagster/job_name"
        value: "publish"
        limit: 1
"""
)
# Embedded storage: SQLite under .dagster/, every run's events in one database rather than a file per
# run, so that the latest reading of every source is one query (Dagster's own consolidated storage).
SQLITE_YAML = """\
run_storage:
  module: dagster.core.storage.runs
  class: SqliteRunStorage
  config:
    base_dir: {home}/history
event_log_storage:
  module: dagster.core.storage.event_log
  class: ConsolidatedSqliteEventLogStorage
  config:
    base_dir: {home}/history/events
schedule_storage:
  module: dagster.core.storage.schedules
  class: SqliteScheduleStorage
  config:
    base_dir: {home}/schedules
"""
# Events per batch a storage receives at most (a national run plans and materializes hundreds).
EVENT_BATCH_SIZE = "1000"
PLANNED_AS_RANGE = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"


@contextmanager
def planned_as_ranges() -> Iterator[None]:
    """Runs created meanwhile plan a range of sources in one event rather than one per source
    (Dagster's opt-in, dagster-io/dagster#29288). SQLite's partition status then no longer sees
    those sources in progress, nor failed when their run dies: only `mille-jours publish` takes it,
    which waits for its own runs and reads a dead batch again source by source; the sensor and
    the automation of `make dev` keep one event per source, which they wait on."""
    before = os.environ.get(PLANNED_AS_RANGE)
    os.environ[PLANNED_AS_RANGE] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PLANNED_AS_RANGE, None)
        else:
            os.environ[PLANNED_AS_RANGE] = before


# With DAGSTER_PG_URL (postgresql://user:password@host:5432/base), Dagster's runs, event logs and
# schedules go to that PostgreSQL database; the URL stays in the environment, never in this file.
# SQLAlchemy 2.1 opens postgresql:// with psycopg 3, which refuses dagster-postgres's statements
# (dagster-io/dagster#33958): the URL is handed over with the psycopg2 driver named.
PG_DRIVER_URL = "MILLE_JOURS_PG_DRIVER_URL"
POSTGRES_YAML = f"""\
storage:
  postgres:
    postgres_url:
      env: {PG_DRIVER_URL}
"""


def pg_driver_url(url: str) -> str:
    """postgresql://… or postgres://… as postgresql+psycopg2://… (a driver already named is kept)."""
    scheme, sep, rest = url.partition("://")
    return f"postgresql+psycopg2://{rest}" if sep and scheme in ("postgresql", "postgres") else url


def instance_yaml(home: Path, storage: Storage) -> str:
    """dagster.yaml: the settings of the template, then the storage chosen at the instance's creation."""
    text = DAGSTER_YAML.format(max_runs=os.environ.get("MILLE_JOURS_MAX_RUNS", "4"))
    settings = (
        POSTGRES_YAML if storage.kind == POSTGRESQL else SQLITE_YAML.format(home=home.as_posix())
    )
    return text + storage.recorded() + "\n" + settings


def configure(home: Path) -> None:
    """home/dagster.yaml written by the first process (its storage from its environment), its other
    settings refreshed by each later one; `InstanceStorageMismatch` when this process's environment
    names another storage. A file without the marker is the user's: left as it is."""
    if os.environ.get(PG_URL):
        # Inherited by every process started from here (`make dev`: webserver, daemon, runs).
        os.environ[PG_DRIVER_URL] = pg_driver_url(os.environ[PG_URL])
    config = home / "dagster.yaml"
    wanted = storage_of_environment()
    if not config.exists() and write_once(config, instance_yaml(home, wanted)):
        return
    text = config.read_text(encoding="utf-8")
    if not text.startswith(MARKER):
        return
    recorded = recorded_storage(text)
    if not same_storage(recorded, wanted):
        raise InstanceStorageMismatch(config, recorded, wanted)
    fresh = instance_yaml(home, wanted)
    if text != fresh:
        replace(config, fresh)


class InstanceNotWritable(Exception):  # noqa: N818 — a state of the user's folder, said in French
    """The instance's folder (or a folder, a database inside) cannot be written: publishing notes
    every reading there, so nothing starts."""

    def __init__(self, home: Path, where: Path) -> None:
        if not home.is_dir():
            state = "ne peut pas être créé"
            fix = f"permettre d'écrire dans {home.parent} à l'utilisateur qui publie"
        else:
            inside = where != home and where.is_relative_to(home)
            state = "n'est pas modifiable" + (
                f" ({where.relative_to(home)} y est en lecture seule)" if inside else ""
            )
            fix = f"le rendre modifiable par l'utilisateur qui publie (`chmod -R u+w {home}`)"
        super().__init__(
            f"Le dossier de l'instance Dagster {home} {state} : la publication y note chaque "
            f"lecture, elle ne commence pas ; published/ est inchangé. À faire : {fix}, ou désigner "
            "un autre dossier par la variable DAGSTER_HOME."
        )


def _read_only_part(home: Path) -> Path | None:
    """The instance's folder itself, or the first folder or SQLite database under it, that this
    process may not write (permissions, a read-only file system); None when all may be written."""
    for folder, _subfolders, files in os.walk(home):
        if not os.access(folder, os.W_OK):
            return Path(folder)
        for name in files:
            if name.endswith(".db") and not os.access(os.path.join(folder, name), os.W_OK):
                return Path(folder, name)
    return None


def ensure_instance_home(root: Path) -> Path:
    """The Dagster home (DAGSTER_HOME, else .dagster/) with its dagster.yaml; `InstanceNotWritable`
    when it cannot be written, `InstanceStorageMismatch` when the environment names another storage
    than the instance's."""
    home = Path(os.environ.get("DAGSTER_HOME") or root / ".dagster").resolve()
    try:
        home.mkdir(parents=True, exist_ok=True)
        where = _read_only_part(home)
        if where is not None:
            raise InstanceNotWritable(home, where)
        configure(home)
    except OSError as error:  # a folder above it, or what os.access could not foresee
        if not isinstance(error, PermissionError) and error.errno != errno.EROFS:
            raise
        raise InstanceNotWritable(home, Path(error.filename or home)) from error
    os.environ["DAGSTER_HOME"] = str(home)
    # Dagster then hands a run's planned events, and the materializations of its partitions, to the
    # storage as batches.
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", EVENT_BATCH_SIZE)
    return home


def _command(name: str) -> str:
    """A command of this interpreter's environment (`dagster`, `dg`) when it has one: the wrapper
    works from .venv/bin/python without the environment being activated."""
    beside = Path(sys.executable).parent / name
    return str(beside) if os.sep not in name and beside.is_file() else name


def main(argv: list[str]) -> None:
    """`python -m assets.instance [command …]`: the instance configured as `make publish` configures
    it, then the command given (`dg dev …`, `dagster instance migrate`) run in its place, inheriting
    the environment; a French message and exit 2 when the instance refuses this environment."""
    try:
        ensure_instance_home(Path(os.environ.get("MILLE_JOURS_ROOT") or Path.cwd()))
    except (InstanceNotWritable, InstanceStorageMismatch) as refusal:
        print(refusal, file=sys.stderr)
        sys.exit(2)
    if os.environ.get(PG_URL):
        from assets.infrastructure import check_postgresql, infrastructure_message

        try:
            check_postgresql()
        except Exception as failure:
            print(infrastructure_message(failure) or failure, file=sys.stderr)
            sys.exit(2)
    if argv:
        os.execvp(_command(argv[0]), [argv[0], *argv[1:]])


if __name__ == "__main__":
    main(sys.argv[1:])
