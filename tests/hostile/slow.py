"""A source whose reading starts a program that never ends: a scanned PDF (pages without text) and a
fake `tesseract`, first on PATH, that sleeps. Everything here is fictitious (« fictif »).

The fake program writes its process id and its temporary folder into a log, so that a test can
look for what it left behind: processes (in /proc) and folders.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from tests.hostile.cases import manifest

FAKE_TESSERACT = """#!/bin/sh
# Fictif : un Tesseract qui ne finit jamais.
if [ "$1" = "--list-langs" ]; then echo "List of available languages (1):"; echo fra; exit 0; fi
mkdir -p "${TMPDIR:-/tmp}/tesseract-fictif-$$"
echo "$$ ${TMPDIR:-/tmp}" >> "$MILLE_JOURS_FAKE_LOG"
exec sleep 120
"""


def fake_tesseract(folder: Path) -> tuple[Path, Path]:
    """A `tesseract` that sleeps, in `folder`; (its folder for PATH, its log)."""
    bin_dir = folder / "bin-fictif"
    bin_dir.mkdir(parents=True, exist_ok=True)
    program = bin_dir / "tesseract"
    program.write_text(FAKE_TESSERACT, encoding="utf-8")
    program.chmod(0o755)
    return bin_dir, folder / "tesseract-fictif.log"


def scanned_pdf(folder: Path, name: str) -> Path:
    """A one-page PDF with a drawn frame and no text: a scan for the reader, read by OCR."""
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(folder / f"{name}.pdf"))
    pdf.rect(72, 500, 300, 120)
    pdf.save()
    path = folder / f"{name}.yaml"
    path.write_text(manifest(name, read=None), encoding="utf-8")
    return path


def started(log: Path, timeout: float = 30) -> list[tuple[int, str]]:
    """The fake programs started so far: (process id, their TMPDIR); waits for the first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and log.read_text().strip():
            return [
                (int(p), t)
                for p, t in (line.split(" ", 1) for line in log.read_text().split("\n") if line)
            ]
        time.sleep(0.05)
    raise AssertionError("le faux tesseract n'a pas démarré")


def running(pid: int) -> bool:
    """A process that still runs (a zombie waiting for its parent has stopped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "State:\tZ" not in status


def descendants(pid: int) -> set[int]:
    """Every process started from `pid`, however deep, as /proc shows them now."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def left_running(pids: set[int], wait: float = 5) -> set[int]:
    """Those of `pids` still running after `wait` seconds at most."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        alive = {p for p in pids if running(p)}
        if not alive:
            return set()
        time.sleep(0.05)
    return {p for p in pids if running(p)}


def kill_left(pids: set[int]) -> None:
    """What a failed test leaves is not left for the next one."""
    for pid in pids:
        if running(pid):
            os.kill(pid, signal.SIGKILL)
