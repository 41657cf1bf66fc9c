"""Jobs: read sources (one partition, or a batch as one run), and publish everything staged."""

from __future__ import annotations

import dagster as dg

from assets.partitions import raw_sources
from assets.planning import in_runs

# How long a run may last before Dagster's run monitoring fails it, and how often the daemon runs
# again one whose process died (dagster.yaml retries no run an asset's own failure ended). A reading
# is not retried: raw_sources_sensor reads its sources again, by version, never twice.
INGEST_RUN_TAGS = {"dagster/max_retries": "0", "dagster/max_runtime": "7200"}
PUBLISH_RUN_TAGS = {"dagster/max_retries": "2", "dagster/max_runtime": "3600"}

ingest_source_job = dg.define_asset_job(
    "ingest_source",
    selection=dg.AssetSelection.assets("staged_source"),
    partitions_def=raw_sources,
    run_tags=INGEST_RUN_TAGS,
    description="Lire, normaliser et valider des sources brutes (une partition, ou un lot en un seul run).",
)

publish_job = dg.define_asset_job(
    "publish",
    selection=dg.AssetSelection.groups("tables", "publish"),
    run_tags=PUBLISH_RUN_TAGS,
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
