"""Jobs: read sources (one partition, or a batch as one run), and publish everything staged; the runs
left in progress by a process that no longer exists."""

from __future__ import annotations

import os
import socket

import dagster as dg

from assets.partitions import raw_sources
from assets.planning import in_runs
from pipelines.common.lifetime import process_alive

ingest_source_job = dg.define_asset_job(
    "ingest_source",
    selection=dg.AssetSelection.assets("staged_source"),
    partitions_def=raw_sources,
    description="Lire, normaliser et valider des sources brutes (une partition, ou un lot en un seul run).",
)

publish_job = dg.define_asset_job(
    "publish",
    selection=dg.AssetSelection.groups("tables", "publish"),
    description="Consolider les sources lues et publier le paquet dans published/.",
)

IN_PROGRESS = (
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
)


def partitions_in_progress(instance: dg.DagsterInstance, registered: list[str]) -> set[str]:
    """The sources an ingestion run queued or started is about to write."""
    runs = instance.get_runs(
        filters=dg.RunsFilter(job_name=ingest_source_job.name, statuses=list(IN_PROGRESS))
    )
    return in_runs([run.tags for run in runs], registered)


# Runs executed in the `mille-jours publish` process carry its id: if that process is killed, no
# daemon watches the run, so the next publish or sensor tick on this host marks it failed.
PID_TAG = "mille-jours/pid"
HOST_TAG = "mille-jours/host"


def process_tags() -> dict[str, str]:
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def fail_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs left in progress by a `mille-jours publish` process that no longer exists.

    Runs launched by the daemon are watched by Dagster's run monitoring (dagster.yaml) instead.
    """
    failed = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=list(IN_PROGRESS))):
        pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
        if pid and pid.isdigit() and host == socket.gethostname() and not process_alive(int(pid)):
            instance.report_run_failed(
                run,
                "Le processus mille-jours qui exécutait ce run s'est arrêté "
                "(tué, manque de mémoire ou redémarrage) : run marqué en échec.",
            )
            failed.append(run.run_id)
    return failed
