"""raw_file: each source's file and manifest, observed by Dagster rather than built by it.

Its data version, partition by partition, is the file-and-manifest part of the source's version
(`assets/partitions.py`, the one the planning computes). `staged_source` depends on it, so once a
change is observed the UI shows the source stale (raw_file « has a new data version ») until it
is read again. `raw_sources_sensor` observes each changed source once; `mille-jours publish` observes
nothing per source (its cost stays that of its readings).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import dagster as dg

from assets.partitions import file_version, raw_sources, source_version
from assets.planning import Sources, registered_sources
from assets.resources import ProjectPaths
from pipelines.read.discovery import discover

RAW_FILE = "raw_file"
# Dagster labels observable source assets beta; said once here rather than at every command.
warnings.filterwarnings(
    "ignore",
    message="(Function `observable_source_asset`|Class `DataVersionsByPartition`) is currently",
)

# Dagster's tag for the data version an observation records (as its own observations write it).
DATA_VERSION_TAG = "dagster/data_version"


@dg.observable_source_asset(
    name=RAW_FILE,
    partitions_def=raw_sources,
    group_name="ingest",
    description="Le fichier brut d'une source et son manifeste, sous raw/ : sa version de données "
    "est leur empreinte. Une source modifiée apparaît périmée (staged_source) jusqu'à sa relecture ; "
    "raw_sources_sensor observe chaque source modifiée.",
)
def raw_file(context: dg.OpExecutionContext, paths: ProjectPaths) -> dg.DataVersionsByPartition:
    """The UI's « Observe »: the sources the run names, or every registered one; one event each."""
    named = context.has_partition_key or context.has_partition_key_range
    keys = set(context.partition_keys if named else registered_sources(context.instance))
    versions = {s.key: source_version(s) for s in discover(paths.raw_dir) if s.key in keys}
    return dg.DataVersionsByPartition(
        {key: dg.DataVersion(file_version(version)) for key, version in versions.items()}
    )


def observations(versions: Mapping[str, str]) -> list[dg.AssetObservation]:
    """One observation of raw_file per source, its data version the source's file and manifest."""
    return [
        dg.AssetObservation(RAW_FILE, partition=key, tags={DATA_VERSION_TAG: file_version(version)})
        for key, version in versions.items()
    ]


def changes_to_observe(sources: Sources, observed: dict[str, str]) -> dict[str, str]:
    """The sources to read whose file or manifest is not the one read last, nor the one the sensor
    observed last (a change of the reading code alone is no change of the file).

    `observed` (the sensor's cursor) is updated; it keeps only the sources still to read, so it
    stays as small as the backlog, and a source changed back after a reading is observed again.
    """
    stale = set(sources.stale)
    for key in [k for k in observed if k not in stale]:
        del observed[key]
    changed = {}
    for key in sources.stale:
        now = file_version(sources.current[key])
        if now not in (file_version(sources.stored.get(key) or ""), observed.get(key)):
            changed[key] = sources.current[key]
            observed[key] = now
    return changed


def observe_once(instance: dg.DagsterInstance, sources: Sources) -> None:
    """One observation on an instance that has none, before its first readings.

    Dagster looks for a source's changes after the last observation its reading saw; a reading
    made before any observation at all would never show its source stale. One event, once.
    """
    if not sources.stale:
        return
    if instance.fetch_observations(dg.AssetKey(RAW_FILE), limit=1).records:
        return
    first = sources.stale[0]
    for event in observations({first: sources.current[first]}):
        instance.report_runless_asset_event(event)
