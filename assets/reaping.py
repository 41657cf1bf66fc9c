"""Nothing of a reading outlives it: each worker reads in its own process group with its own
temporary folder, and both go with it — at its time limit, when the run is stopped, when the run's
process dies without a word (SIGKILL).

A reader may start programs of its own (Tesseract for a scan) and write temporary files: they are
the worker's group and the worker's folder. Three things see that they go:
- the worker is told of its parent's death by the kernel (`PR_SET_PDEATHSIG`), and dies;
- a small watcher forked by each worker is told of the worker's death the same way: it kills what
  is left of the worker's group and removes the worker's folder;
- the run itself sweeps the groups and folders of the workers it stopped (`sweep`), and removes the
  run's folder at its end (`reading_folder`).
Linux only, as the workers are (assets/workers.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipelines.common.lifetime import die_with, on_parent_death, process_alive

WORKER_PREFIX = "lecteur-"


@contextlib.contextmanager
def reading_folder() -> Iterator[Path]:
    """The run's temporary folder, one folder per worker inside; gone at the end, with whatever
    the workers left running."""
    folder = Path(tempfile.mkdtemp(prefix="mille-jours-lecture-"))
    try:
        yield folder
    finally:
        sweep(folder, everything=True)
        shutil.rmtree(folder, ignore_errors=True)


def claim_worker(parent: int, folder: Path) -> None:
    """In a new worker: its own process group, death with its parent, its own temporary folder
    (every `tempfile` of the readers and the programs they start), and its watcher."""
    die_with(parent)
    own = folder / f"{WORKER_PREFIX}{os.getpid()}"
    own.mkdir(parents=True, exist_ok=True)  # the run's folder too, if a watcher removed it
    os.environ["TMPDIR"] = str(own)
    tempfile.tempdir = str(own)
    _fork_watcher(os.getpid(), own)


def _fork_watcher(worker: int, own: Path) -> None:
    """A process that waits for the worker's death, then kills the worker's group and removes its
    folder. It stays out of that group, so that killing the group spares it."""
    blocked = {signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)  # no signal lost between fork and wait
    if os.fork():
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
        return
    try:
        os.setpgid(0, 0)
        os.closerange(3, 1 << 16)  # holds no file, no lock, no pipe of the run
        on_parent_death(signal.SIGTERM)
        if os.getppid() == worker:
            signal.sigwait(blocked)
        reap(worker, own)
        with contextlib.suppress(OSError):  # the run's folder, once its last worker is gone
            own.parent.rmdir()
    finally:
        os._exit(0)


def reap(group: int, own: Path) -> None:
    """Kill what is left of a worker's process group; remove its temporary folder. The caller's
    own group is never killed (a worker's group is its own, as `claim_worker` made it)."""
    if group != os.getpgrp():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
    shutil.rmtree(own, ignore_errors=True)


def sweep(folder: Path, everything: bool = False) -> None:
    """Reap the workers of the run that are gone (every worker when `everything`): their groups
    and folders. The run's folder may be gone already: its last worker's watcher removes it."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        if not name.startswith(WORKER_PREFIX):
            continue
        own, pid = folder / name, int(name.removeprefix(WORKER_PREFIX))
        if everything or not process_alive(pid):
            reap(pid, own)
