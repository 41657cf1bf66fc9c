"""Runs whose process died: the daemon fails them within two minutes of its start, reads their
source again, and runs a dead package run again by itself (assets/recovery.py, dagster.yaml).

A real `dagster-daemon run` on the project's SQLite instance, one fictitious source.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import defs
from assets.instance import ensure_instance_home
from assets.planning import registered_sources, survey
from assets.recovery import HOST_TAG, PID_TAG, SENSOR_SECONDS
from tests.conftest import REPO, add_source
from tests.fictif import csv_fictif, manifest_fictif

BIN = Path(sys.executable).parent
FICTIF = "normandie/2024/laureats-fictifs"
DEADLINE_S = 120  # within two minutes of the daemon's start
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dg.DagsterInstance]:
    """One fictitious source, read once; then its manifest changes, so it is to be read again."""
    root = tmp_path / "project"
    add_source(root, "normandie", 2024, "laureats-fictifs", csv_fictif(), manifest_fictif())
    (root / "published").mkdir()
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(root))
    monkeypatch.setenv("DAGSTER_HOME", str(root / ".dagster"))
    monkeypatch.setenv(SENSOR_SECONDS, "2")
    monkeypatch.setenv("DAGSTER_EVENT_LOG_CONSUMER_DAEMON_INTERVAL_SECONDS", "1")  # the retries
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    ensure_instance_home(root)
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions("raw_sources", [FICTIF])
        read = defs.resolve_job_def("ingest_source").execute_in_process(
            instance=instance, partition_key=FICTIF, run_config=QUIET
        )
        assert read.success
        manifest = root / "raw" / "normandie" / "2024" / "laureats-fictifs.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8") + "# relu\n", encoding="utf-8")
        yield instance


@pytest.fixture
def start_daemon() -> Iterator[Callable[[], None]]:
    """Starts `dagster-daemon run` in a process group of its own, killed at the end."""
    started: list[subprocess.Popen] = []

    def start() -> None:
        started.append(
            subprocess.Popen(
                [BIN / "dagster-daemon", "run", "-w", REPO / "workspace.yaml"],
                cwd=REPO,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    yield start
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def reading_left_started(instance: dg.DagsterInstance) -> str:
    """The source's reading run as a reboot leaves it: STARTED, its process gone."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    run = instance.create_run_for_job(
        job_def=defs.resolve_job_def("ingest_source"),
        status=dg.DagsterRunStatus.STARTED,
        tags={"dagster/partition": FICTIF, PID_TAG: str(gone.pid), HOST_TAG: socket.gethostname()},
        asset_selection=frozenset({dg.AssetKey("staged_source")}),
    )
    return run.run_id


def status(instance: dg.DagsterInstance, run_id: str) -> dg.DagsterRunStatus:
    run = instance.get_run_by_id(run_id)
    assert run is not None
    return run.status


def new_success(instance: dg.DagsterInstance, job: str, before: set[str], **tags: str) -> bool:
    done = instance.get_runs(
        filters=dg.RunsFilter(job_name=job, statuses=[dg.DagsterRunStatus.SUCCESS], tags=tags)
    )
    return any(run.run_id not in before for run in done)


class Package:
    """The publish run the daemon launched: killed as soon as its process is known."""

    run_id = ""

    def killed(self, instance: dg.DagsterInstance) -> bool:
        started = instance.get_runs(
            filters=dg.RunsFilter(job_name="publish", statuses=[dg.DagsterRunStatus.STARTED])
        )
        for run in started:
            if PID_TAG in run.tags:
                os.kill(int(run.tags[PID_TAG]), signal.SIGKILL)
                self.run_id = run.run_id
                break
        return bool(self.run_id)


def failure_messages(instance: dg.DagsterInstance, run_id: str) -> str:
    events = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    return " ".join(e.dagster_event.message or "" for e in events if e.dagster_event)


def test_dead_runs_are_failed_their_source_read_again_and_the_package_run_retried(
    instance: dg.DagsterInstance, start_daemon: Callable[[], None]
):
    # dagster.yaml's keys, as Dagster reads them: no retry of a run an asset's own failure ended.
    assert instance.run_retries_enabled and not instance.run_retries_retry_on_asset_or_op_failure
    dead_reading = reading_left_started(instance)
    before = {run.run_id for run in instance.get_runs()}
    # A package run, queued as from the UI: the daemon launches it, the test kills its process
    # (its code server, alive, sees it die; after a restart, dead_runs_sensor would).
    launch = [BIN / "dagster", "job", "launch", "-w", REPO / "workspace.yaml", "-j", "publish"]
    launching = subprocess.Popen(launch, cwd=REPO, stdout=subprocess.DEVNULL)
    start_daemon()
    start = time.monotonic()
    package = Package()
    milestones: dict[str, Callable[[], bool]] = {
        "reading run failed": lambda: status(instance, dead_reading) == dg.DagsterRunStatus.FAILURE,
        "source read again": lambda: new_success(
            instance, "ingest_source", before, **{"dagster/partition": FICTIF}
        ),
        "package run killed": lambda: package.killed(instance),
        "package run failed": lambda: (
            bool(package.run_id) and status(instance, package.run_id) == dg.DagsterRunStatus.FAILURE
        ),
        "package run retried": lambda: (
            bool(package.run_id)
            and new_success(
                instance, "publish", before, **{"dagster/parent_run_id": package.run_id}
            )
        ),
    }
    reached: dict[str, float] = {}
    while len(reached) < len(milestones) and time.monotonic() - start < 300:
        for name, check in milestones.items():
            if name not in reached and check():
                reached[name] = round(time.monotonic() - start, 1)
        time.sleep(0.1)
    print("after the daemon's start (s):", reached)
    assert launching.wait() == 0

    assert reached.keys() == milestones.keys(), reached
    assert reached["reading run failed"] <= DEADLINE_S
    assert reached["package run failed"] - reached["package run killed"] <= DEADLINE_S
    assert "Le processus" in failure_messages(instance, dead_reading)
    (retry,) = instance.get_runs(
        filters=dg.RunsFilter(tags={"dagster/parent_run_id": package.run_id})
    )
    assert retry.tags["dagster/retry_number"] == "1"
    assert retry.tags[PID_TAG] != instance.get_run_by_id(package.run_id).tags[PID_TAG]
    reread = instance.get_runs(filters=dg.RunsFilter(tags={"dagster/partition": FICTIF}))
    (again,) = [run for run in reread if run.run_id not in before]  # read once, not retried too
    assert again.tags["dagster/max_runtime"] == "7200" and again.tags["dagster/max_retries"] == "0"
    raw = Path(os.environ["MILLE_JOURS_ROOT"], "raw")
    assert survey(raw, registered_sources(instance)).stale == []  # its current version is read
