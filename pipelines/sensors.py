"""Sensor on raw/: registers new sources, re-reads changed ones, forgets removed ones."""

import hashlib
import json

import dagster as dg

from assets.partitions import raw_sources
from pipelines.jobs import ingest_source_job, publish_job
from pipelines.read.discovery import discover
from pipelines.resources import ProjectPaths


@dg.sensor(
    jobs=[ingest_source_job, publish_job],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Surveille raw/ : une source nouvelle ou modifiée est lue, une source retirée est oubliée.",
)
def raw_sources_sensor(context: dg.SensorEvaluationContext, paths: ProjectPaths) -> dg.SensorResult | dg.SkipReason:
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    current = {s.key: s.fingerprint() for s in discover(paths.raw_dir)}
    registered = set(context.instance.get_dynamic_partitions(raw_sources.name))

    new = sorted(set(current) - registered)
    removed = sorted(registered - set(current))
    changed = sorted(k for k, fp in current.items() if seen.get(k) != fp)
    if not (new or removed or changed):
        return dg.SkipReason(f"{len(current)} sources, aucune nouvelle ni modifiée")

    cursor = json.dumps(current, sort_keys=True)
    runs = [dg.RunRequest(partition_key=k, run_key=f"{k}@{current[k][:16]}", job_name=ingest_source_job.name,
                          tags={"mille-jours/source": k}) for k in changed]
    if removed:
        # No ingestion run follows a removal, so the package is rebuilt explicitly.
        state = hashlib.sha256(cursor.encode()).hexdigest()[:16]
        runs.append(dg.RunRequest(run_key=f"removed:{','.join(removed)}@{state}", job_name=publish_job.name))
    requests = []
    if new:
        requests.append(raw_sources.build_add_request(new))
    if removed:
        requests.append(raw_sources.build_delete_request(removed))
    return dg.SensorResult(run_requests=runs, dynamic_partitions_requests=requests, cursor=cursor)
