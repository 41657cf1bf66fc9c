"""`mille-jours publish`: every asset materialized headless on the project's instance.

Only what changed is read again (`assets/planning.py`, as the sensor decides), in as few runs as
possible; then the tables and the package are built in one run, unless nothing changed at all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from assets.definitions import defs
from assets.infrastructure import check_postgresql
from assets.instance import InstanceNotWritable, ensure_instance_home, planned_as_ranges
from assets.instance_storage import InstanceStorageMismatch
from assets.observation import observe_once
from assets.partitions import PUBLISHING_CODE_VERSION, raw_sources
from assets.planning import RunPlan, Sources, registered_sources, run_plans, survey
from assets.recovery import fail_dead_runs, process_tags
from assets.stopping import raise_if_stopped, stop_on_signals
from assets.storage import forget_staged, storage_root, stored_versions
from assets.workers import settle_collector
from pipelines.contribute.report import source_problems
from pipelines.publish.files import tree_checksums

PUBLISHED = ("ok", "rejected_rows")


@dataclass
class Outcome:
    """What a publication says: whether everything asked for was published, its lines, and each
    source not published in its current version (refused, held back, unread) with its state."""

    ok: bool
    lines: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    said: set[str] = field(default_factory=set)  # sources whose reading is already in the lines

    def fail(self, source_id: str, state: str) -> None:
        self.ok = False
        self.failed.setdefault(source_id, state)

    def summary(self) -> str:
        """The last line: what failed, per source."""
        if not self.failed:
            return "Échec : la publication n'a pas abouti (voir ci-dessus)."
        return (
            f"Échec, {len(self.failed)} source(s) non publiée(s) dans leur version actuelle : "
            + (" ; ".join(f"{sid} {state}" for sid, state in sorted(self.failed.items())))
        )


def register(instance: dg.DagsterInstance, sources: Sources) -> None:
    """Register the new sources and forget the removed ones, as the sensor does."""
    if sources.new:
        instance.add_dynamic_partitions(raw_sources.name, sources.new)
    for key in sources.removed:
        instance.delete_dynamic_partition(raw_sources.name, key)


def _run_config(verbose: bool) -> dict:
    # A step's failure is said once, in French, by `_failures`: not with Dagster's stack trace.
    return {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "CRITICAL"}}}}


def publication_state(keys: list[str], published: Path) -> str:
    """What a publication is made of: each source's stored reading, the publishing code, published/ itself."""
    h = hashlib.sha256(PUBLISHING_CODE_VERSION.encode())
    for key, version in sorted(stored_versions(keys).items()):
        h.update(f"{key}={version}\n".encode())
    for name, digest in (tree_checksums(published) if published.is_dir() else {}).items():
        h.update(name.encode())
        h.update(bytes.fromhex(digest))
    return h.hexdigest()


def _publication_marker():
    return storage_root() / "last_publication"


def last_publication() -> str | None:
    marker = _publication_marker()
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else None


def remember_publication(state: str) -> None:
    marker = _publication_marker()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(state, encoding="utf-8")


def _ingest(
    instance: dg.DagsterInstance,
    plans: list[RunPlan],
    order: list[str],
    verbose: bool,
    outcome: Outcome,
) -> None:
    """Each planned run; a batch that dies is read again source by source, so only its culprit fails."""
    ingest = defs.resolve_job_def("ingest_source")
    for plan in plans:
        result = ingest.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=_run_config(verbose),
            partition_key=plan.partition_key,
            tags={**plan.tags, **process_tags()},
        )
        raise_if_stopped()  # a run stopped by a signal is not read again source by source
        if not result.success and not plan.single:
            batch = order[order.index(plan.start) : order.index(plan.end) + 1]
            _ingest(instance, [RunPlan(key, key) for key in batch], order, verbose, outcome)
            continue
        if not result.success:
            # Its previous reading must not be published as if it were current.
            forget_staged(plan.start)
            outcome.fail(plan.start, f"non lue (échec du run {result.run_id})")
            outcome.lines.append(
                f"  {plan.start} : échec de l'exécution Dagster (voir l'interface, run "
                f"{result.run_id}) ; source retirée de cette publication"
            )
            continue
        for key, staged in result.output_for_node("staged_source").items():
            src = staged.source
            outcome.said.add(key)
            outcome.lines.append(
                f"  {key} : {src['status']} — lues {src['rows_read']}, acceptées "
                f"{src['rows_accepted']}, rejetées {src['rows_rejected']}, ignorées {src['rows_skipped']}"
            )
            for p in source_problems(staged)[:5]:
                outcome.lines.append(f"      {p['message']} → {p['fix']}")


def _package(
    instance: dg.DagsterInstance,
    root: Path,
    keys: list[str],
    outcome: Outcome,
    *,
    verbose: bool,
    allow_removals: bool,
) -> bool:
    """Build the tables and the package in one run; whether it published."""
    withdraw = {"config": {"allow_removals": allow_removals}}
    result = defs.resolve_job_def("publish").execute_in_process(
        instance=instance,
        raise_on_error=False,
        tags=process_tags(),
        run_config={
            **_run_config(verbose),
            "ops": {"data_package": withdraw, "canonical_tables": withdraw},
        },
    )
    _not_published(result, keys, outcome)
    if not result.success:
        outcome.ok = False
        outcome.lines += _failures(result)
        outcome.lines.append("published/ est inchangé.")
        return False
    materialized = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    meta = materialized["data_package"]
    outcome.lines += _conflicts(materialized.get("campaigns", {}).get("warnings"))
    failed, warned = _checks_not_passed(result)
    if warned:
        outcome.lines.append(f"Avertissements : {', '.join(warned)} (voir l'interface Dagster)")
    outcome.lines.append(
        f"Paquet {meta['version'].value} {'publié' if meta['changed'].value else 'inchangé'} "
        f"dans {root / 'published'}."
    )
    if failed:
        outcome.lines.append(f"Contrôles en échec : {', '.join(failed)}")
        outcome.ok = False
    return True


def _not_published(result: dg.ExecuteInProcessResult, keys: list[str], outcome: Outcome) -> None:
    """Each source of raw/ the tables do not publish in its current version, said and counted."""
    try:
        sources = result.output_for_node("canonical_tables", "sources")
    except (dg.DagsterError, OSError):  # the tables were not built: the run's failure says why
        return
    for row in sources.itertuples(index=False):
        if isinstance(row.held_back, str) and row.held_back:
            outcome.fail(row.source_id, "retenue (dernière lecture valide publiée)")
            outcome.lines.append(f"  {row.source_id} : {row.held_back}")
        elif row.status not in PUBLISHED:
            outcome.fail(row.source_id, f"refusée ({row.status})")
            if row.source_id not in outcome.said:
                outcome.lines.append(f"  {row.source_id} : {row.status} — {row.message}")
    for key in sorted(set(keys) - set(sources["source_id"]) - set(outcome.failed)):
        outcome.fail(key, "non lue")
        outcome.lines.append(f"  {key} : non lue, rien n'en est publié (voir l'interface Dagster)")


def _failures(result: dg.ExecuteInProcessResult) -> list[str]:
    lines = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data is not None:
            error = event.step_failure_data.user_failure_data or event.step_failure_data.error
            lines.append(
                f"Échec de {event.step_key} : "
                f"{getattr(error, 'description', None) or getattr(error, 'message', error)}"
            )
    return lines


def _conflicts(warnings: dg.MetadataValue | None) -> list[str]:
    """Two sources of one campaign that disagree: said here, not only in Dagster's event log."""
    if warnings is None:
        return []
    return [
        "Entre sources, à relire (conflits : la première valeur est gardée ; bénéficiaires "
        "proches) :",
        *(f"  {line.removeprefix('- ')}" for line in str(warnings.value).splitlines() if line),
    ]


def _checks_not_passed(result: dg.ExecuteInProcessResult) -> tuple[list[str], list[str]]:
    """The checks that failed (severity ERROR) and those that warned, by name."""
    evaluations = [e for e in result.get_asset_check_evaluations() if not e.passed]
    failed = {e.check_name for e in evaluations if e.severity == dg.AssetCheckSeverity.ERROR}
    warned = {e.check_name for e in evaluations if e.severity == dg.AssetCheckSeverity.WARN}
    return sorted(failed), sorted(warned)


def publish_all(root: Path, verbose: bool = False, allow_removals: bool = False) -> Outcome:
    """Read what changed and publish; `Interrupted` when a signal stops it (published/ unchanged)."""
    with stop_on_signals():
        outcome = _publish_all(root, verbose, allow_removals)
    if not outcome.ok:
        outcome.lines.append(outcome.summary())
    return outcome


def _refused_before_start(root: Path) -> Outcome | None:
    """Why nothing can start (not a project, an instance that cannot be used); None when it can."""
    if not (root / "raw").is_dir():
        return Outcome(
            False,
            [
                f"Pas de dossier raw/ dans {root} : ce n'est pas un projet mille-jours, rien n'est "
                "publié. À faire : lancer la commande depuis le dossier du projet, ou donner --root."
            ],
        )
    try:
        ensure_instance_home(root)
    except (InstanceNotWritable, InstanceStorageMismatch) as error:
        return Outcome(False, [str(error)])
    check_postgresql()
    return None


def _publish_all(root: Path, verbose: bool, allow_removals: bool) -> Outcome:
    refused = _refused_before_start(root)
    if refused is not None:
        return refused
    settle_collector()  # Dagster, pandas and the definitions are loaded: they live as long as the process
    outcome = Outcome(ok=True)
    with dg.DagsterInstance.get() as instance:
        dead = fail_dead_runs(instance)
        if dead:
            outcome.lines.append(
                f"{len(dead)} run(s) laissé(s) en cours par un processus arrêté : marqué(s) en échec."
            )
        sources = survey(root / "raw", registered_sources(instance))
        register(instance, sources)
        observe_once(instance, sources)
        keys = list(sources.current)
        outcome.lines.append(
            f"{len(keys)} source(s) dans raw/ ({len(sources.new)} nouvelle(s), "
            f"{len(sources.removed)} retirée(s))."
        )
        if not keys:
            outcome.ok = False
            outcome.lines.append(
                "Aucune source dans raw/ : rien n'est publié, published/ est inchangé. À faire : "
                "vérifier que raw/<région>/<année>/ contient les fichiers et leurs manifestes."
            )
            return outcome
        to_read = sources.stale
        outcome.lines.append(
            f"{len(to_read)} à lire, {len(keys) - len(to_read)} inchangée(s) depuis leur dernière lecture."
        )
        if to_read:
            with planned_as_ranges():
                _ingest(
                    instance, run_plans(to_read, sources.order), sources.order, verbose, outcome
                )
        # Nothing read, nothing removed, same publishing code, published/ as left: nothing to publish.
        state = publication_state(keys, root / "published")
        if not (to_read or sources.removed or dead) and state == last_publication():
            version = json.loads(
                (root / "published" / "datapackage.json").read_text(encoding="utf-8")
            )["version"]
            outcome.lines.append(
                f"Paquet {version} inchangé dans {root / 'published'} : rien de changé depuis "
                "la dernière publication."
            )
            return outcome
        raise_if_stopped()
        if (
            _package(instance, root, keys, outcome, verbose=verbose, allow_removals=allow_removals)
            and outcome.ok
        ):
            # A publication with failures is run again next time, to say so again.
            remember_publication(publication_state(keys, root / "published"))
    return outcome
