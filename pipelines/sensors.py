"""Sensor on raw/: registers new sources, reads the ones whose version changed, forgets removed ones.

Whether a source must be read is decided against what is stored, not against what the sensor saw
last: a file put back to an earlier content is read again, a source whose run died is read again
on the next tick, and starting the daemon after `make publish` reads nothing.
"""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from assets.partitions import batches, raw_sources, source_version
from pipelines.jobs import (
    INGEST_TAG,
    fail_dead_runs,
    ingest_source_job,
    partitions_in_progress,
    publish_job,
    range_tags,
)
from pipelines.read.discovery import discover
from pipelines.resources import ProjectPaths, stored_versions

# A source whose run fails on the same version this many times waits for a change (no endless retry).
MAX_ATTEMPTS = 3


def ingest_requests(keys: list[str], order: list[str], tick: int) -> list[dg.RunRequest]:
    """One run per batch of neighbouring sources; one small run for a single source."""
    requests = []
    for start, end in batches(keys, order):
        if start == end:
            requests.append(dg.RunRequest(partition_key=start, run_key=f"{start}@{tick}",
                                          job_name=ingest_source_job.name, tags={INGEST_TAG: start}))
        else:
            requests.append(dg.RunRequest(run_key=f"{start}..{end}@{tick}", job_name=ingest_source_job.name,
                                          tags={**range_tags(start, end), INGEST_TAG: f"{start}..{end}"}))
    return requests


@dg.sensor(
    jobs=[ingest_source_job, publish_job],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Surveille raw/ : une source nouvelle ou modifiée est lue, une source retirée est oubliée.",
)
def raw_sources_sensor(context: dg.SensorEvaluationContext, paths: ProjectPaths) -> dg.SensorResult | dg.SkipReason:
    state: dict = json.loads(context.cursor) if context.cursor else {}
    if not isinstance(state.get("attempts"), dict):  # a cursor of an earlier release
        state = {}
    current = {s.key: source_version(s) for s in discover(paths.raw_dir)}
    registered = list(context.instance.get_dynamic_partitions(raw_sources.name))
    new = sorted(set(current) - set(registered))
    removed = sorted(set(registered) - set(current))
    order = [k for k in registered if k in current] + new  # the registered order once `new` is added
    stored = stored_versions(order)
    fail_dead_runs(context.instance)  # their sources are then read again below
    busy = partitions_in_progress(context.instance, registered)

    attempts: dict[str, list] = state["attempts"] if state else {}
    to_read = []
    for key in order:
        if stored[key] == current[key]:
            attempts.pop(key, None)
            continue
        version, count = attempts.get(key, [None, 0])
        if key in busy or (version == current[key] and count >= MAX_ATTEMPTS):
            continue
        to_read.append(key)
        attempts[key] = [current[key], count + 1 if version == current[key] else 1]
    if not (new or removed or to_read):
        waiting = sum(1 for k in order if stored[k] != current[k])
        return dg.SkipReason(f"{len(current)} sources, aucune à lire" +
                             (f" ({waiting} en cours ou en échec répété)" if waiting else ""))

    # A tick number in every run key: a source put back to an earlier content gets a new key.
    tick = state.get("tick", 0) + 1
    runs = ingest_requests(to_read, order, tick)
    if removed:
        # No ingestion run follows a removal, so the package is rebuilt explicitly.
        state_hash = hashlib.sha256(json.dumps(sorted(current.items())).encode()).hexdigest()[:16]
        runs.append(dg.RunRequest(run_key=f"removed:{','.join(removed)}@{state_hash}", job_name=publish_job.name))
    requests = []
    if new:
        requests.append(raw_sources.build_add_request(new))
    if removed:
        requests.append(raw_sources.build_delete_request(removed))
    cursor = json.dumps({"tick": tick, "attempts": {k: v for k, v in attempts.items() if k in current}},
                        sort_keys=True)
    return dg.SensorResult(run_requests=runs, dynamic_partitions_requests=requests, cursor=cursor)
