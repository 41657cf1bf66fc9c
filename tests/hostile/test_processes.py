"""No process outlives its reading: a source stopped at its time limit, a publication stopped by
its supervisor (SIGTERM) or killed (SIGKILL) leave no worker, no child program of a reader, no
temporary folder, and published/ as it was (assets/reaping.py, assets/stopping.py)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from assets.stopping import Interrupted, raise_if_stopped, stop_on_signals
from assets.workers import Stopped, bounded_map, read_sources
from tests.conftest import REPO
from tests.fictif import csv_fictif
from tests.hostile.cases import manifest, write
from tests.hostile.slow import (
    descendants,
    fake_tesseract,
    kill_left,
    left_running,
    scanned_pdf,
    started,
)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc: Linux")
FOLDER = ("normandie", "2024")


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_source_stopped_at_its_time_limit_leaves_no_process_and_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    bin_dir, log = fake_tesseract(tmp_path)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("MILLE_JOURS_FAKE_LOG", str(log))
    monkeypatch.setenv("MILLE_JOURS_SOURCE_TIMEOUT_S", "4")
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    raw = tmp_path / "raw"
    path = scanned_pdf(raw.joinpath(*FOLDER), "scan-lent-fictif")
    started_at = time.monotonic()
    [staged] = list(read_sources([path], raw))
    assert time.monotonic() - started_at < 15
    fakes = started(log, timeout=1)
    try:
        assert staged.error is not None and "au bout de 4 s" in staged.error.message
        assert not left_running({pid for pid, _ in fakes}), "le faux tesseract tourne encore"
        assert not any(Path(folder).exists() for _, folder in fakes)
        assert list(temp.iterdir()) == []  # the run's folder and every worker's folder are gone
    finally:
        kill_left({pid for pid, _ in fakes})


def test_a_worker_stopped_is_not_the_publication_stopped(monkeypatch: pytest.MonkeyPatch):
    """The SIGTERM that stops a worker (its time limit, the end of the readings) is the worker's:
    the publication goes on; a SIGTERM sent to the publication still stops it."""
    monkeypatch.setenv("MILLE_JOURS_SOURCE_TIMEOUT_S", "1")
    with stop_on_signals():
        outcomes = list(bounded_map(time.sleep, [(30,), (0,)], workers=2))
        assert isinstance(outcomes[0], Stopped) and outcomes[1] is None
        raise_if_stopped()  # nothing came to the publication itself
        with pytest.raises(Interrupted, match="SIGTERM reçu"):
            signal.raise_signal(signal.SIGTERM)


def _publishing(project: Path, log: Path, bin_dir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "MILLE_JOURS_FAKE_LOG": str(log),
        "MILLE_JOURS_SOURCE_TIMEOUT_S": "120",
        "DAGSTER_HOME": str(project / ".dagster"),
        "TMPDIR": str(project / "tmp"),
        "PYTHONPATH": str(REPO),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "assets.cli", "publish", "--root", str(project)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def slow_project(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A project whose raw/ holds a plain list and a scan read by a never-ending Tesseract, and
    whose published/ holds a previous (fictitious) release."""
    project = tmp_path / "projet"
    folder = project.joinpath("raw", *FOLDER)
    write(folder, "liste-fictif", csv_fictif(), manifest("liste-fictif"))
    scanned_pdf(folder, "scan-lent-fictif")
    (project / "published").mkdir()
    (project / "published" / "README.md").write_text("Publication précédente fictive.\n")
    (project / "tmp").mkdir()
    bin_dir, log = fake_tesseract(tmp_path)
    return project, bin_dir, log


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_publication_stopped_while_reading_leaves_nothing_running(
    slow_project: tuple[Path, Path, Path], signum: int
):
    project, bin_dir, log = slow_project
    before = tree(project / "published")
    process = _publishing(project, log, bin_dir)
    everyone: set[int] = set()
    try:
        started(log, timeout=90)
        everyone = descendants(process.pid)  # workers, their watchers, the fake tesseract
        assert everyone
        sent = time.monotonic()
        process.send_signal(signum)
        out, _ = process.communicate(timeout=20)
        assert time.monotonic() - sent < 8, out
        assert process.returncode != 0
        if signum == signal.SIGTERM:
            assert "Publication interrompue (SIGTERM reçu)" in out, out
            assert "published/ est inchangé" in out and "Traceback" not in out, out
        assert not left_running(everyone), "processus restants après l'arrêt"
        assert tree(project / "published") == before
        assert not list(project.glob("published.tmp-*"))
        assert not list((project / "tmp").glob("mille-jours-*")), "dossier temporaire restant"
    finally:
        process.kill()
        kill_left(everyone)
