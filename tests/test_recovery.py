"""Runs killed with the daemon (a reboot, a container restarted): the next daemon fails them within
two minutes of its start, reads their source again and runs a dead package run again by itself.

A real `dagster-daemon run` on the project's SQLite instance launches the runs; the test kills them
and the daemon (SIGKILL), then starts a new daemon and waits. One fictitious source.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import dagster as dg
import pytest

from assets.publication import publish_all
from assets.recovery import PID_TAG, SENSOR_SECONDS
from tests.conftest import REPO, add_source
from tests.fictif import csv_fictif, manifest_fictif

BIN = Path(sys.executable).parent
FICTIF = "normandie/2024/laureats-fictifs"
DEADLINE_S = 120  # within two minutes of the daemon's start


@pytest.fixture
def fictif_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One fictitious source, published once; then its manifest changes, so it is to be read again."""
    root = tmp_path / "project"
    add_source(root, "normandie", 2024, "laureats-fictifs", csv_fictif(), manifest_fictif())
    (root / "published").mkdir()
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(root))
    monkeypatch.setenv("DAGSTER_HOME", str(root / ".dagster"))
    monkeypatch.setenv(SENSOR_SECONDS, "2")
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    assert publish_all(root).ok
    manifest = root / "raw" / "normandie" / "2024" / "laureats-fictifs.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "# relu\n", encoding="utf-8")
    return root


@pytest.fixture
def daemons() -> Iterator[Callable[[], subprocess.Popen]]:
    """Starts `dagster-daemon run` in a process group of its own; every group is killed at the end."""
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            [BIN / "dagster-daemon", "run", "-w", REPO / "workspace.yaml"],
            cwd=REPO,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        kill_group(process)


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


T = TypeVar("T")


def wait_for(what: str, found: Callable[[], T | None], timeout: float) -> T:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = found()
        if value is not None:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def runs(instance: dg.DagsterInstance, job: str, **filters) -> list[dg.DagsterRun]:
    return list(instance.get_runs(filters=dg.RunsFilter(job_name=job, **filters)))


def kill_runs_with_daemon(instance: dg.DagsterInstance, daemon: subprocess.Popen) -> list[str]:
    """The source's reading run (the sensor's) and a publish run queued by hand: each stopped as soon
    as its process is known, then killed with the daemon (a reboot)."""
    subprocess.run(
        [BIN / "dagster", "job", "launch", "-w", REPO / "workspace.yaml", "-j", "publish"],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    killed: dict[str, str] = {}

    def both_killed() -> dict[str, str] | None:
        for run in instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
            if PID_TAG in run.tags and run.job_name not in killed:
                os.kill(int(run.tags[PID_TAG]), signal.SIGSTOP)  # alive to the daemon until it goes
                killed[run.job_name] = run.run_id
        return killed if len(killed) == 2 else None

    wait_for("a reading run and a publish run started", both_killed, 180)
    kill_group(daemon)
    for run_id in killed.values():
        os.kill(int(instance.get_run_by_id(run_id).tags[PID_TAG]), signal.SIGKILL)
    for run_id in killed.values():
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED
    return [killed["ingest_source"], killed["publish"]]


def failed(instance: dg.DagsterInstance, run_id: str) -> Callable[[], dg.DagsterRun | None]:
    def found() -> dg.DagsterRun | None:
        run = instance.get_run_by_id(run_id)
        return run if run is not None and run.status == dg.DagsterRunStatus.FAILURE else None

    return found


def succeeded_since(
    instance: dg.DagsterInstance, before: set[str], job: str, **tags: str
) -> Callable[[], dg.DagsterRun | None]:
    """A successful run of the job with these tags, other than the runs in `before`."""

    def found() -> dg.DagsterRun | None:
        done = runs(instance, job, statuses=[dg.DagsterRunStatus.SUCCESS], tags=tags)
        return next((r for r in done if r.run_id not in before), None)

    return found


def failure_messages(instance: dg.DagsterInstance, run_id: str) -> str:
    events = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    return " ".join(e.dagster_event.message or "" for e in events if e.dagster_event)


def test_runs_killed_with_the_daemon_are_failed_read_again_and_retried(
    fictif_project: Path, daemons: Callable[[], subprocess.Popen]
):
    with dg.DagsterInstance.get() as instance:
        dead_ingest, dead_publish = kill_runs_with_daemon(instance, daemons())

        before = {run.run_id for run in instance.get_runs()}
        daemons()
        start = time.monotonic()

        timings = {}
        wait_for("dead reading run failed", failed(instance, dead_ingest), DEADLINE_S)
        timings["reading run failed"] = time.monotonic() - start
        package = wait_for("dead package run failed", failed(instance, dead_publish), DEADLINE_S)
        timings["package run failed"] = time.monotonic() - start
        reread = wait_for(
            "source read again",
            succeeded_since(instance, before, "ingest_source", **{"dagster/partition": FICTIF}),
            240,
        )
        timings["source read again"] = time.monotonic() - start
        retry = wait_for(
            "package run retried",
            succeeded_since(instance, before, "publish", **{"dagster/parent_run_id": dead_publish}),
            240,
        )
        timings["package retried"] = time.monotonic() - start
        print("after the daemon's start:", {k: f"{v:.1f} s" for k, v in timings.items()})

        messages = failure_messages(instance, dead_ingest) + failure_messages(
            instance, dead_publish
        )
    assert messages.count("qui exécutait ce run s'est arrêté") == 2, messages
    assert reread.run_id != dead_ingest
    assert retry.tags["dagster/retry_number"] == "1"
    assert int(retry.tags[PID_TAG]) != int(package.tags[PID_TAG])  # its own process, noted
