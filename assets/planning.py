"""Which sources a run reads, in which batches, with which tags: one decision, taken the same way by
`raw_sources_sensor` and by `mille-jours publish`.

A source is read when its stored reading is not of its current version (a hash of its file, its
manifest and the reading code): a file put back to an earlier content is read again, a source whose
run died is read again, and nothing is read twice for the same version.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from assets.partitions import raw_sources, source_version
from assets.storage import stored_versions
from pipelines.read.discovery import discover

# Every ingestion run names the sources it writes; the queued run coordinator limits runs per value,
# so one source is never written by two runs at once (dagster.yaml, assets/instance.py).
INGEST_TAG = "mille-jours/sources"
# Dagster's own tags of a run over a range of partitions (a single-run backfill).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


@dataclass(frozen=True)
class Sources:
    """The sources of raw/ against the registered partitions and the stored readings."""

    current: dict[str, str]  # key → version of the file, manifest and reading code now
    registered: list[str]  # the partitions, in their registered order
    stored: dict[str, str | None]  # key → version of its stored reading

    @cached_property
    def new(self) -> list[str]:
        return sorted(set(self.current) - set(self.registered))

    @cached_property
    def removed(self) -> list[str]:
        return sorted(set(self.registered) - set(self.current))

    @cached_property
    def order(self) -> list[str]:
        """The registered order once the new sources are registered (they come last)."""
        return registered_order(self.registered, self.current)

    @cached_property
    def stale(self) -> list[str]:
        """The sources to read, in registered order."""
        return [k for k in self.order if self.stored.get(k) != self.current[k]]


def registered_order(registered: list[str], current: dict[str, str]) -> list[str]:
    return [k for k in registered if k in current] + sorted(set(current) - set(registered))


def survey(raw_dir: Path, registered: list[str]) -> Sources:
    current = {s.key: source_version(s) for s in discover(raw_dir)}
    return Sources(
        current, list(registered), stored_versions(registered_order(registered, current))
    )


def registered_sources(instance) -> list[str]:
    return list(instance.get_dynamic_partitions(raw_sources.name))


@dataclass(frozen=True)
class RunPlan:
    """One run reading the neighbouring sources start…end (in registered order)."""

    start: str
    end: str

    @property
    def single(self) -> bool:
        return self.start == self.end

    @property
    def label(self) -> str:
        return self.start if self.single else f"{self.start}..{self.end}"

    @property
    def partition_key(self) -> str | None:
        return self.start if self.single else None

    @property
    def tags(self) -> dict[str, str]:
        """The sources it writes, and for a range Dagster's own tags of a single-run backfill."""
        if self.single:
            return {INGEST_TAG: self.label}
        return {RANGE_START_TAG: self.start, RANGE_END_TAG: self.end, INGEST_TAG: self.label}


def run_plans(keys: list[str], order: list[str]) -> list[RunPlan]:
    """The keys as runs of neighbours in `order`: one run (a partition range) each."""
    position = {k: i for i, k in enumerate(order)}
    plans: list[RunPlan] = []
    last = -2
    for key in sorted(keys, key=position.__getitem__):
        if plans and position[key] == last + 1:
            plans[-1] = RunPlan(plans[-1].start, key)
        else:
            plans.append(RunPlan(key, key))
        last = position[key]
    return plans


def in_runs(runs_tags: list[dict[str, str]], order: list[str]) -> set[str]:
    """The sources that runs with these tags read (a partition, or a range in `order`)."""
    busy: set[str] = set()
    position = {k: i for i, k in enumerate(order)}
    for tags in runs_tags:
        if "dagster/partition" in tags:
            busy.add(tags["dagster/partition"])
        elif tags.get(RANGE_START_TAG) in position and tags.get(RANGE_END_TAG) in position:
            busy.update(order[position[tags[RANGE_START_TAG]] : position[tags[RANGE_END_TAG]] + 1])
    return busy
