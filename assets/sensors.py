"""Sensor on raw/: registers new sources, reads the ones whose version changed, forgets removed ones.

Which sources to read, and in which runs, is `assets/planning.py`'s decision, the same as
`mille-jours publish`'s; the sensor adds what only a daemon needs: sources already being read are
left alone, and a source whose run keeps failing on one version waits for a change.
"""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from assets.jobs import ingest_source_job, partitions_in_progress, publish_job
from assets.observation import changes_to_observe, observations
from assets.partitions import raw_sources
from assets.planning import Sources, registered_sources, run_plans, survey
from assets.recovery import fail_dead_runs, sensor_seconds
from assets.resources import ProjectPaths

# A source whose run fails on the same version this many times waits for a change (no endless retry).
MAX_ATTEMPTS = 3


def ingest_requests(keys: list[str], order: list[str], tick: int) -> list[dg.RunRequest]:
    """One run per batch of neighbouring sources; one small run for a single source."""
    return [
        dg.RunRequest(
            run_key=f"{plan.label}@{tick}",
            job_name=ingest_source_job.name,
            partition_key=plan.partition_key,
            tags=plan.tags,
        )
        for plan in run_plans(keys, order)
    ]


def _to_read(sources: Sources, busy: set[str], attempts: dict[str, list]) -> list[str]:
    """The stale sources not being read, nor failed too often on their current version; counts attempts."""
    stale = set(sources.stale)
    to_read = []
    for key in sources.order:
        if key not in stale:
            attempts.pop(key, None)
            continue
        version, count = attempts.get(key, [None, 0])
        current = sources.current[key]
        if key in busy or (version == current and count >= MAX_ATTEMPTS):
            continue
        to_read.append(key)
        attempts[key] = [current, count + 1 if version == current else 1]
    return to_read


@dg.sensor(
    jobs=[ingest_source_job, publish_job],
    minimum_interval_seconds=sensor_seconds(60),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Surveille raw/ : une source nouvelle ou modifiée est lue, une source retirée est oubliée.",
)
def raw_sources_sensor(
    context: dg.SensorEvaluationContext, paths: ProjectPaths
) -> dg.SensorResult | dg.SkipReason:
    state: dict = json.loads(context.cursor) if context.cursor else {}
    if not isinstance(state.get("attempts"), dict):  # a cursor of an earlier release
        state = {}
    sources = survey(paths.raw_dir, registered_sources(context.instance))
    fail_dead_runs(context.instance)  # their sources are then read again below
    busy = partitions_in_progress(context.instance, sources.registered)
    attempts: dict[str, list] = state["attempts"] if state else {}
    to_read = _to_read(sources, busy, attempts)
    # Observed before their runs start: each reading then records the version it was asked to read.
    observed: dict[str, str] = state.get("observed", {}) if state else {}
    changed = changes_to_observe(sources, observed)
    new, removed = sources.new, sources.removed
    if not (new or removed or to_read or changed):
        waiting = len(sources.stale)
        return dg.SkipReason(
            f"{len(sources.current)} sources, aucune à lire"
            + (f" ({waiting} en cours ou en échec répété)" if waiting else "")
        )

    # A tick number in every run key: a source put back to an earlier content gets a new key.
    tick = state.get("tick", 0) + 1
    runs = ingest_requests(to_read, sources.order, tick)
    if removed:
        # No ingestion run follows a removal, so the package is rebuilt explicitly.
        state_hash = hashlib.sha256(
            json.dumps(sorted(sources.current.items())).encode()
        ).hexdigest()[:16]
        runs.append(
            dg.RunRequest(
                run_key=f"removed:{','.join(removed)}@{state_hash}", job_name=publish_job.name
            )
        )
    requests = []
    if new:
        requests.append(raw_sources.build_add_request(new))
    if removed:
        requests.append(raw_sources.build_delete_request(removed))
    cursor = json.dumps(
        {
            "tick": tick,
            "attempts": {k: v for k, v in attempts.items() if k in sources.current},
            "observed": observed,
        },
        sort_keys=True,
    )
    return dg.SensorResult(
        run_requests=runs,
        dynamic_partitions_requests=requests,
        asset_events=observations(changed),
        cursor=cursor,
    )
