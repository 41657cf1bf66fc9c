"""Weekly refresh: every registered source is read again in one run; the tables and the package follow."""

import dagster as dg

from assets.jobs import ingest_source_job
from assets.planning import RunPlan, registered_sources


@dg.schedule(
    job=ingest_source_job,
    cron_schedule="0 6 * * 1",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Chaque lundi à 6 h : relire toutes les sources en un run ; les tables et le paquet suivent.",
)
def weekly_refresh(context: dg.ScheduleEvaluationContext):
    keys = registered_sources(context.instance)
    if not keys:
        return dg.SkipReason(
            "aucune source enregistrée : le capteur raw_sources_sensor les enregistre"
        )
    stamp = context.scheduled_execution_time.strftime("%Y-%m-%d")
    plan = RunPlan(keys[0], keys[-1])
    return dg.RunRequest(
        run_key=f"toutes@{stamp}", partition_key=plan.partition_key, tags=plan.tags
    )
