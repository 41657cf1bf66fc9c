"""The publication's locks go with their holder: a `mille-jours publish` killed (SIGKILL) while its
validation workers run leaves no process, and the next publish completes by itself with published/
whole; a lock kept by a live holder makes the next publish wait, then give up naming that holder
(pipelines/common/locks.py, assets/resources.py). Every project and name here is fictitious."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assets.resources import PUBLICATION_LOCK_KEY, publication_lock
from pipelines.common.locks import LockError, file_lock
from pipelines.publish.package import LOCK_NAME, PublishError, publish
from pipelines.publish.validation import validate_package
from tests.conftest import REPO
from tests.fictif import csv_fictif
from tests.hostile.cases import manifest, write
from tests.hostile.slow import descendants, kill_left, left_running

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="flock, prctl and /proc: Linux")


def _publishing(project: Path, pg_url: str | None) -> subprocess.Popen:
    env = {
        **os.environ,
        "DAGSTER_HOME": str(project / ".dagster"),
        "PYTHONPATH": str(REPO),
        "MILLE_JOURS_LOCK_TIMEOUT": "50",
    }
    env.pop("DAGSTER_PG_URL", None)
    if pg_url:
        env["DAGSTER_PG_URL"] = pg_url
    return subprocess.Popen(
        [sys.executable, "-m", "assets.cli", "publish", "--root", str(project)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _validating(process: subprocess.Popen, project: Path, timeout: float = 90) -> set[int]:
    """The publication's workers, once the built release is being validated (its descriptor
    written in the staging folder, the workers forked)."""
    staged = project / f"published.tmp-{process.pid}" / "datapackage.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        workers = descendants(process.pid) if staged.exists() else set()
        if workers:
            return workers
        time.sleep(0.01)
    raise AssertionError(f"pas de validation vue en cours (code {process.poll()})")


def test_a_publish_killed_while_validating_leaves_nothing_and_the_next_completes(
    tmp_path: Path, pg_url: str
):
    """On PostgreSQL, where both locks are taken: the file lock and the advisory lock, whose
    session the killed publication's workers must not keep alive (benchmarks/kill_recovery.py
    kills at ten moments, on SQLite too)."""
    project = tmp_path / "projet"
    write(
        project / "raw" / "normandie" / "2024",
        "liste-fictif",
        csv_fictif(),
        manifest("liste-fictif"),
    )
    (project / ".dagster").mkdir()
    process = _publishing(project, pg_url)
    workers: set[int] = set()
    try:
        workers = _validating(process, project)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert not left_running(workers), "des workers de validation tournent encore"

        started = time.monotonic()
        following = _publishing(project, pg_url)
        out, _ = following.communicate(timeout=180)
        # Not one wait for a lock: a lock left behind would have failed it after its timeout.
        assert "Publication en attente" not in out, out
        assert following.returncode == 0, out
        assert time.monotonic() - started < 120, out
        descriptor = json.loads((project / "published" / "datapackage.json").read_text())
        assert descriptor["version"] == "1.0.0"
        assert validate_package(project / "published") == []
        assert not list(project.glob("published.tmp-*"))
    finally:
        process.kill()
        kill_left(workers)


def _holding(lock: Path) -> subprocess.Popen:
    """A live process of this machine that holds the publication's file lock, as a publish would."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from pipelines.common.locks import file_lock\n"
            "with file_lock(Path(sys.argv[1]), 'published/'):\n"
            "    print('tenu', flush=True); time.sleep(120)",
            str(lock),
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "tenu"
    return holder


def test_a_lock_kept_by_a_live_holder_times_out_naming_it_and_goes_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    published = tmp_path / "published"
    published.mkdir()
    (published / "README.md").write_text("Publication précédente fictive.\n")
    monkeypatch.setenv("MILLE_JOURS_LOCK_TIMEOUT", "1")
    holder = _holding(tmp_path / LOCK_NAME)
    said: list[str] = []
    try:
        with pytest.raises(PublishError) as refused:
            publish({}, published, say=said.append)
        assert len(said) == 1 and said[0].startswith(
            f"Publication en attente : published/ est en cours de publication par le processus "
            f"{holder.pid} sur "
        ), said
        message = str(refused.value)
        assert f"le processus {holder.pid}" in message and f"kill {holder.pid}" in message
        assert "published/ est inchangé" in message and "MILLE_JOURS_LOCK_TIMEOUT" in message
        assert [p.name for p in published.iterdir()] == ["README.md"]
    finally:
        holder.kill()
        holder.wait()
    # Its holder dead, the lock file still names it, but the kernel has released the lock.
    assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] == holder.pid
    with file_lock(tmp_path / LOCK_NAME, "published/", say=said.append, timeout=0):
        assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] == os.getpid()
    assert len(said) == 1


def test_the_advisory_lock_of_another_session_times_out_naming_it(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
):
    import psycopg2

    monkeypatch.setenv("DAGSTER_PG_URL", pg_url)
    monkeypatch.setenv("MILLE_JOURS_LOCK_TIMEOUT", "1")
    other = psycopg2.connect(pg_url, application_name="outil-fictif")
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s), pg_backend_pid()", (PUBLICATION_LOCK_KEY,))
        backend = cursor.fetchone()[1]
    said: list[str] = []
    try:
        with pytest.raises(LockError) as refused, publication_lock(said.append):
            pass
        assert len(said) == 1 and f"la session PostgreSQL {backend}" in said[0], said
        message = str(refused.value)
        assert f"session PostgreSQL {backend} (application « outil-fictif »" in message
        assert (
            f"pg_terminate_backend({backend})" in message and "published/ est inchangé" in message
        )
    finally:
        other.close()  # the session ends, and its lock with it
    # A holder killed while a process it forked lives on: the session goes with the holder.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDING_THEN_FORKING],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    child = int(holder.stdout.readline())
    try:
        holder.kill()
        holder.wait()
        with psycopg2.connect(pg_url) as third, third.cursor() as cursor:
            deadline, taken = time.monotonic() + 30, False
            while not taken and time.monotonic() < deadline:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", (PUBLICATION_LOCK_KEY,))
                taken = cursor.fetchone()[0]
                time.sleep(0.1)
            assert taken, "la session du verrou survit dans le processus enfant"
        third.close()
    finally:
        os.kill(child, signal.SIGKILL)


HOLDING_THEN_FORKING = """
import os, time
from assets.resources import publication_lock
with publication_lock():
    child = os.fork()
    if child == 0:
        time.sleep(60)
        os._exit(0)
    print(child, flush=True)
    time.sleep(120)
"""


def _forked_child() -> int:
    child = os.fork()
    if child == 0:
        time.sleep(60)
        os._exit(0)
    return child


def _end(child: int) -> None:
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)


def test_a_child_forked_while_the_file_lock_is_held_does_not_keep_it(tmp_path: Path):
    with file_lock(tmp_path / LOCK_NAME, "published/", timeout=0):
        child = _forked_child()
    try:
        # The child closes its copy as it starts, maybe after its parent went on: a short wait.
        with file_lock(tmp_path / LOCK_NAME, "published/", say=lambda _: None, timeout=10):
            assert os.waitpid(child, os.WNOHANG) == (0, 0), "l'enfant devait vivre encore"
    finally:
        _end(child)
