"""Headless materialization of every asset on the persistent local instance (.dagster/)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DAGSTER_YAML = """\
# Local instance of mille-jours: SQLite storage under this folder.
telemetry:
  enabled: false
"""


@dataclass
class Outcome:
    ok: bool
    lines: list[str] = field(default_factory=list)


def ensure_instance_home(root: Path) -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or root / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
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


def publish_all(root: Path, verbose: bool = False, allow_removals: bool = False) -> Outcome:
    if not (root / "raw").is_dir():
        return Outcome(False, [f"Pas de dossier raw/ dans {root} : ce n'est pas un projet mille-jours, rien n'est "
                               "publié. À faire : lancer la commande depuis le dossier du projet, ou donner --root."])
    ensure_instance_home(root)
    from dagster import DagsterInstance

    from pipelines.contribute.report import source_problems
    from pipelines.definitions import defs
    from pipelines.resources import forget_staged

    outcome = Outcome(ok=True)
    with DagsterInstance.get() as instance:
        keys, new, removed = sync_partitions(instance, root / "raw")
        outcome.lines.append(f"{len(keys)} source(s) dans raw/ ({len(new)} nouvelle(s), {len(removed)} retirée(s)).")
        if not keys:
            outcome.ok = False
            outcome.lines.append("Aucune source dans raw/ : rien n'est publié, published/ est inchangé. À faire : "
                                 "vérifier que raw/<région>/<année>/ contient les fichiers et leurs manifestes.")
            return outcome
        ingest = defs.resolve_job_def("ingest_source")
        for key in keys:
            result = ingest.execute_in_process(partition_key=key, instance=instance, raise_on_error=False,
                                               run_config=_run_config(verbose))
            if not result.success:
                # Its previous reading must not be published as if it were current.
                forget_staged(key)
                outcome.ok = False
                outcome.lines.append(f"  {key} : échec de l'exécution Dagster (voir l'interface, run {result.run_id}) ; "
                                     "source retirée de cette publication")
                continue
            staged = result.output_for_node("staged_source")
            src = staged.source
            outcome.lines.append(f"  {key} : {src['status']} — lues {src['rows_read']}, acceptées "
                                 f"{src['rows_accepted']}, rejetées {src['rows_rejected']}, ignorées {src['rows_skipped']}")
            for p in source_problems(staged)[:5]:
                outcome.lines.append(f"      {p['message']} → {p['fix']}")
        run_config = {**_run_config(verbose), "ops": {"data_package": {"config": {"allow_removals": allow_removals}}}}
        result = defs.resolve_job_def("publish").execute_in_process(
            instance=instance, raise_on_error=False, run_config=run_config)
        if not result.success:
            outcome.ok = False
            for event in result.all_events:
                if event.is_step_failure and event.step_failure_data is not None:
                    error = event.step_failure_data.user_failure_data or event.step_failure_data.error
                    outcome.lines.append(f"Échec de {event.step_key} : "
                                         f"{getattr(error, 'description', None) or getattr(error, 'message', error)}")
            outcome.lines.append("published/ est inchangé.")
            return outcome
        meta = next(e.materialization.metadata for e in result.get_asset_materialization_events()
                    if e.asset_key.to_user_string() == "data_package")
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
    return outcome
