"""Weekly refresh: every registered source is read again; the tables and the package follow."""

import dagster as dg

from assets.partitions import raw_sources
from pipelines.jobs import ingest_source_job


@dg.schedule(
    job=ingest_source_job,
    cron_schedule="0 6 * * 1",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Chaque lundi à 6 h : relire toutes les sources ; les tables et le paquet suivent (automatisation).",
)
def weekly_refresh(context: dg.ScheduleEvaluationContext):
    keys = sorted(context.instance.get_dynamic_partitions(raw_sources.name))
    if not keys:
        return dg.SkipReason("aucune source enregistrée : le capteur raw_sources_sensor les enregistre")
    stamp = context.scheduled_execution_time.strftime("%Y-%m-%d")
    return [dg.RunRequest(partition_key=k, run_key=f"{k}@{stamp}") for k in keys]
