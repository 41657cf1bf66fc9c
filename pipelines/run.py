"""Headless materialization of every asset on the persistent local instance (.dagster/)."""

from __future__ import annotations

import gc
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "# Written by mille-jours"
GC_ALLOCATIONS = 10_000
DAGSTER_YAML = MARKER + """ (pipelines/run.py) at each run: remove this line to keep your own settings.
telemetry:
  enabled: false
# A run whose process died (killed, out of memory, reboot) is marked failed, so automation resumes.
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  cancel_timeout_seconds: 180
  max_resume_run_attempts: 0
  poll_interval_seconds: 30
  free_slots_after_run_end_seconds: 300
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
# Embedded storage: SQLite under .dagster/, every run's events in one database (not a file per
# run), written through one engine per process (pipelines/instance.py): a run reading a hundred
# sources writes about a thousand events.
SQLITE_YAML = """\
event_log_storage:
  module: pipelines.instance
  class: EmbeddedEventLogStorage
  config:
    base_dir: {home}/history/events
"""
# Events per batch a storage receives at most (a national run plans and materializes hundreds).
EVENT_BATCH_SIZE = "1000"
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


@dataclass
class Outcome:
    ok: bool
    lines: list[str] = field(default_factory=list)


def instance_yaml(home: Path) -> str:
    text = DAGSTER_YAML.format(max_runs=os.environ.get("MILLE_JOURS_MAX_RUNS", "4"))
    if os.environ.get("DAGSTER_PG_URL"):
        # Inherited by every process started from here (`make dev`: webserver, daemon, runs).
        os.environ[PG_DRIVER_URL] = pg_driver_url(os.environ["DAGSTER_PG_URL"])
        return text + POSTGRES_YAML
    return text + SQLITE_YAML.format(home=home.as_posix())


def ensure_instance_home(root: Path) -> Path:
    """The Dagster home (DAGSTER_HOME, else .dagster/) with its dagster.yaml, kept in step with the environment."""
    home = Path(os.environ.get("DAGSTER_HOME") or root / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text(encoding="utf-8").startswith(MARKER):
        text = instance_yaml(home)
        if not config.exists() or config.read_text(encoding="utf-8") != text:
            config.write_text(text, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    # Dagster then sends a run's planned events, and the materializations of its partitions, to the
    # storage as batches: one transaction each (pipelines/instance.py, and dagster-postgres's own).
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", EVENT_BATCH_SIZE)
    return home


def sync_partitions(instance, raw_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """Register the sources present in raw/ and forget the removed ones, as the sensor does."""
    from assets.partitions import raw_sources
    from pipelines.read.discovery import discover

    keys = [s.key for s in discover(raw_dir)]
    registered = set(instance.get_dynamic_partitions(raw_sources.name))
    new = [k for k in keys if k not in registered]
    removed = sorted(registered - set(keys))
    if new:
        instance.add_dynamic_partitions(raw_sources.name, new)
    for key in removed:
        instance.delete_dynamic_partition(raw_sources.name, key)
    return keys, new, removed


def _run_config(verbose: bool) -> dict:
    return {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "ERROR"}}}}


def publication_state(keys: list[str], published: Path) -> str:
    """What a publication is made of: each source's stored reading, the publishing code, published/ itself."""
    import hashlib

    from assets.partitions import PUBLISHING_CODE_VERSION
    from pipelines.resources import stored_versions

    h = hashlib.sha256(PUBLISHING_CODE_VERSION.encode())
    for key, version in sorted(stored_versions(keys).items()):
        h.update(f"{key}={version}\n".encode())
    for path in sorted(published.rglob("*")) if published.is_dir() else []:
        if path.is_file():
            h.update(path.relative_to(published).as_posix().encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _publication_marker():
    from pipelines.resources import storage_root

    return storage_root() / "last_publication"


def last_publication() -> str | None:
    marker = _publication_marker()
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else None


def remember_publication(state: str) -> None:
    marker = _publication_marker()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(state, encoding="utf-8")


def sources_to_read(instance, raw_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The registered sources whose stored reading is not of their current version, in registered order."""
    from assets.partitions import raw_sources, source_version
    from pipelines.read.discovery import discover
    from pipelines.resources import stored_versions

    current = {s.key: source_version(s) for s in discover(raw_dir)}
    registered = [k for k in instance.get_dynamic_partitions(raw_sources.name) if k in current]
    stored = stored_versions(registered)
    return [k for k in registered if stored[k] != current[k]], current


def _ingest(instance, defs, keys: list[str], registered: list[str], verbose: bool, outcome: Outcome) -> None:
    """Read the sources in as few runs as possible; a batch that dies is retried source by source."""
    from assets.partitions import batches
    from pipelines.contribute.report import source_problems
    from pipelines.jobs import INGEST_TAG, process_tags, range_tags
    from pipelines.resources import forget_staged

    ingest = defs.resolve_job_def("ingest_source")
    for start, end in batches(keys, registered):
        result = ingest.execute_in_process(instance=instance, raise_on_error=False, run_config=_run_config(verbose),
                                           tags={**range_tags(start, end), INGEST_TAG: start if start == end else f"{start}..{end}",
                                                 **process_tags()})
        if not result.success and start != end:
            # One source took its batch down: read each on its own, so only that one fails.
            batch = registered[registered.index(start):registered.index(end) + 1]
            for key in batch:
                _ingest(instance, defs, [key], registered, verbose, outcome)
            continue
        if not result.success:
            # Its previous reading must not be published as if it were current.
            forget_staged(start)
            outcome.ok = False
            outcome.lines.append(f"  {start} : échec de l'exécution Dagster (voir l'interface, run {result.run_id}) ; "
                                 "source retirée de cette publication")
            continue
        for key, staged in result.output_for_node("staged_source").items():
            src = staged.source
            outcome.lines.append(f"  {key} : {src['status']} — lues {src['rows_read']}, acceptées "
                                 f"{src['rows_accepted']}, rejetées {src['rows_rejected']}, ignorées {src['rows_skipped']}")
            for p in source_problems(staged)[:5]:
                outcome.lines.append(f"      {p['message']} → {p['fix']}")


def publish_all(root: Path, verbose: bool = False, allow_removals: bool = False) -> Outcome:
    if not (root / "raw").is_dir():
        return Outcome(False, [f"Pas de dossier raw/ dans {root} : ce n'est pas un projet mille-jours, rien n'est "
                               "publié. À faire : lancer la commande depuis le dossier du projet, ou donner --root."])
    ensure_instance_home(root)
    from dagster import DagsterInstance

    from assets.partitions import raw_sources
    from pipelines.definitions import defs
    from pipelines.jobs import fail_dead_runs, process_tags

    # Dagster, pandas and the definitions, loaded now, live as long as the process: frozen, the
    # collector stops walking them at each full pass (a tenth of a national publication's time),
    # and the reading workers forked from here do not copy their pages.
    gc.freeze()
    # A national publication allocates millions of small objects (events, rows, cells), nearly all
    # freed by reference counting: collecting every 700 allocations, as Python does by default,
    # cost it a twentieth of its time. Every 10 000 is still often for the cycles it does leave.
    gc.set_threshold(GC_ALLOCATIONS, *gc.get_threshold()[1:])
    outcome = Outcome(ok=True)
    with DagsterInstance.get() as instance:
        dead = fail_dead_runs(instance)
        if dead:
            outcome.lines.append(f"{len(dead)} run(s) laissé(s) en cours par un processus arrêté : marqué(s) en échec.")
        keys, new, removed = sync_partitions(instance, root / "raw")
        outcome.lines.append(f"{len(keys)} source(s) dans raw/ ({len(new)} nouvelle(s), {len(removed)} retirée(s)).")
        if not keys:
            outcome.ok = False
            outcome.lines.append("Aucune source dans raw/ : rien n'est publié, published/ est inchangé. À faire : "
                                 "vérifier que raw/<région>/<année>/ contient les fichiers et leurs manifestes.")
            return outcome
        # Only what changed is read again: its file, its manifest or the code that reads it.
        to_read, _ = sources_to_read(instance, root / "raw")
        outcome.lines.append(f"{len(to_read)} à lire, {len(keys) - len(to_read)} inchangée(s) depuis leur dernière lecture.")
        if to_read:
            _ingest(instance, defs, to_read, list(instance.get_dynamic_partitions(raw_sources.name)), verbose, outcome)
        # Nothing read, nothing removed, same publishing code, published/ as left: nothing to publish.
        state = publication_state(keys, root / "published")
        if not (to_read or removed or dead) and state == last_publication():
            version = json.loads((root / "published" / "datapackage.json").read_text(encoding="utf-8"))["version"]
            outcome.lines.append(f"Paquet {version} inchangé dans {root / 'published'} : rien de changé depuis "
                                 "la dernière publication.")
            return outcome
        result = defs.resolve_job_def("publish").execute_in_process(
            instance=instance, raise_on_error=False, tags=process_tags(),
            run_config={**_run_config(verbose), "ops": {"data_package": {"config": {"allow_removals": allow_removals}}}})
        if not result.success:
            outcome.ok = False
            for event in result.all_events:
                if event.is_step_failure and event.step_failure_data is not None:
                    error = event.step_failure_data.user_failure_data or event.step_failure_data.error
                    outcome.lines.append(f"Échec de {event.step_key} : "
                                         f"{getattr(error, 'description', None) or getattr(error, 'message', error)}")
            outcome.lines.append("published/ est inchangé.")
            return outcome
        materialized = {e.asset_key.to_user_string(): e.materialization.metadata
                        for e in result.get_asset_materialization_events()}
        meta = materialized["data_package"]
        # Two sources of one campaign that disagree: said here, not only in Dagster's event log.
        conflicts = materialized.get("campaigns", {}).get("warnings")
        if conflicts is not None:
            outcome.lines.append("Entre sources, à relire (conflits : la première valeur est gardée ; bénéficiaires "
                                 "proches) :")
            outcome.lines += [f"  {line.removeprefix('- ')}" for line in str(conflicts.value).splitlines() if line]
        from dagster import AssetCheckSeverity

        evaluations = result.get_asset_check_evaluations()
        failed_checks = [e.check_name for e in evaluations if not e.passed and e.severity == AssetCheckSeverity.ERROR]
        warned = [e.check_name for e in evaluations if not e.passed and e.severity == AssetCheckSeverity.WARN]
        if warned:
            outcome.lines.append(f"Avertissements : {', '.join(sorted(set(warned)))} (voir l'interface Dagster)")
        outcome.lines.append(f"Paquet {meta['version'].value} {'publié' if meta['changed'].value else 'inchangé'} "
                             f"dans {root / 'published'}.")
        if failed_checks:
            outcome.lines.append(f"Contrôles en échec : {', '.join(sorted(set(failed_checks)))}")
            outcome.ok = False
        if outcome.ok:  # a publication with failures is run again next time, to say so again
            remember_publication(publication_state(keys, root / "published"))
    return outcome


if __name__ == "__main__":
    # `make dev`: `python -m pipelines.run dagster dev …` configures the instance as `make publish`
    # does, then becomes the command given, which inherits the environment.
    import sys

    ensure_instance_home(Path(os.environ.get("MILLE_JOURS_ROOT") or Path.cwd()))
    if len(sys.argv) > 1:
        os.execvp(sys.argv[1], sys.argv[1:])
