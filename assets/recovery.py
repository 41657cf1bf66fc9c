"""Runs whose process died: every run notes its process, and a sensor fails the runs left behind.

Whoever launched a run (the daemon for a sensor, the schedule or the automation; `mille-jours
publish` in its own process), the run's first asset notes its process id and host in the run's tags.
A run left in progress by a process that no longer exists on this host is then marked failed: at
each tick of `dead_runs_sensor` (the first one when the daemon starts), of `raw_sources_sensor`, and
at the start of `mille-jours publish`. Its sources are then stale again and read again; a tables and
package run is retried by the daemon (`run_retries` in dagster.yaml, the job's tags).

A run that died before its first asset noted its process (or on another host) is Dagster's run
monitoring's: failed after `start_timeout_seconds` while STARTING, after its `dagster/max_runtime`
once STARTED (the default launcher cannot tell whether its process lives).
"""

from __future__ import annotations

import os
import socket

import dagster as dg

from assets.jobs import IN_PROGRESS
from pipelines.common.lifetime import process_alive

PID_TAG = "mille-jours/pid"
HOST_TAG = "mille-jours/host"
SENSOR_SECONDS = "MILLE_JOURS_SENSOR_SECONDS"


def sensor_seconds(default: int) -> int:
    """A sensor's minimum interval: MILLE_JOURS_SENSOR_SECONDS when set, else `default`."""
    value = os.environ.get(SENSOR_SECONDS) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(
            f"{SENSOR_SECONDS}={value} : un nombre entier de secondes, au moins 1, est attendu "
            "(l'intervalle minimal entre deux passages des capteurs). À faire : corriger ou retirer "
            "la variable."
        )
    return int(value)


def process_tags() -> dict[str, str]:
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def note_run_process(context: dg.AssetExecutionContext) -> None:
    """Tag the run with the process executing it, so that its death can be told."""
    tags = process_tags()
    if any(context.run.tags.get(key) != value for key, value in tags.items()):
        context.instance.add_run_tags(context.run_id, tags)


def _dead_process(instance: dg.DagsterInstance, run: dg.DagsterRun) -> str | None:
    """The pid of the run's process when it is gone from this host; None while it lives, when it
    is elsewhere, or not the run's own yet (a retry starts with its parent's tags)."""
    pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
    if not (pid and pid.isdigit() and host == socket.gethostname()):
        return None
    parent = instance.get_run_by_id(run.parent_run_id) if run.parent_run_id else None
    if parent is not None and parent.tags.get(PID_TAG) == pid:
        return None
    return None if process_alive(int(pid)) else pid


def fail_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs in progress whose process, on this host, no longer exists."""
    failed = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=list(IN_PROGRESS))):
        pid = _dead_process(instance, run)
        if pid is not None:
            instance.report_run_failed(
                run,
                f"Le processus {pid} qui exécutait ce run s'est arrêté (tué, manque de mémoire "
                "ou redémarrage) : run marqué en échec. Ses sources seront relues par "
                "raw_sources_sensor ; un run des tables et du paquet est relancé par le démon.",
            )
            failed.append(run.run_id)
    return failed


@dg.sensor(
    minimum_interval_seconds=sensor_seconds(30),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marque en échec les runs restés en cours dont le processus n'existe plus sur "
    "cette machine (au démarrage du démon, puis régulièrement) : leurs sources sont relues, les "
    "runs des tables et du paquet relancés.",
)
def dead_runs_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    failed = fail_dead_runs(context.instance)
    if failed:
        context.log.warning(f"Runs dont le processus s'est arrêté, marqués en échec : {failed}")
        return dg.SkipReason(f"{len(failed)} run(s) au processus arrêté marqué(s) en échec")
    return dg.SkipReason("aucun run en cours au processus arrêté")
