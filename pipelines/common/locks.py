"""One publication at a time, and the lock only its holder's, so that it goes when its holder dies.

- The file lock (`flock`) is on a file descriptor that no forked child keeps: it is closed in every
  child as it is forked. A worker left behind by a killed holder cannot keep the lock alive; the
  kernel releases it with the holder.
- The holder writes its name into the lock file (pid, host, start, command). A process that finds
  the lock taken says once whom it waits for, tries again until its timeout
  (MILLE_JOURS_LOCK_TIMEOUT seconds), then gives up with a message naming the holder.
The PostgreSQL advisory lock of a shared instance (assets/resources.py) waits in the same way.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.common.lifetime import process_alive

TIMEOUT_VARIABLE = "MILLE_JOURS_LOCK_TIMEOUT"
DEFAULT_TIMEOUT_S = 600.0
POLL_S = 0.25


class LockError(Exception):
    """The lock was not taken: the message says who holds it and what to do."""


@dataclass
class Holder:
    """Who holds a lock, in words, and what to do if it never lets go."""

    named: str
    remedy: str


# --- descriptors that forked children do not keep ---------------------------------------------

_held_by_parent: set[int] = set()


def _close_in_child() -> None:
    for fd in _held_by_parent:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_by_parent.clear()


os.register_at_fork(after_in_child=_close_in_child)


@contextlib.contextmanager
def kept_from_children(fd: int) -> Iterator[None]:
    """While inside: `fd` is closed in every process forked from this one (a closed copy leaves
    the holder's lock, or its database session, untouched)."""
    _held_by_parent.add(fd)
    try:
        yield
    finally:
        _held_by_parent.discard(fd)


# --- waiting --------------------------------------------------------------------------------


def lock_timeout() -> float:
    raw = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_S
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise LockError(
            f"{TIMEOUT_VARIABLE}={raw} n'est pas un nombre de secondes : published/ est inchangé. "
            f"À faire : donner un délai d'attente du verrou en secondes (par exemple "
            f"{DEFAULT_TIMEOUT_S:.0f}), ou retirer la variable"
        )
    return seconds


def say_on_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def wait_for(
    take: Callable[[], bool],
    holder: Callable[[], Holder | None],
    what: str,
    say: Callable[[str], None] = say_on_stderr,
    timeout: float | None = None,
) -> None:
    """Take a lock with `take()` (True when taken), trying again until the timeout; say once whom
    it waits for; LockError naming the holder when the time is up."""
    timeout = lock_timeout() if timeout is None else timeout
    if take():
        return
    deadline = time.monotonic() + timeout
    found = holder()
    say(
        f"Publication en attente : {what} est en cours de publication par "
        f"{found.named if found else 'un autre processus'} ; nouvel essai pendant "
        f"{timeout:.0f} s au plus ({TIMEOUT_VARIABLE})."
    )
    while time.monotonic() < deadline:
        time.sleep(min(POLL_S, max(deadline - time.monotonic(), 0)))
        if take():
            return
    found = holder() or found
    raise LockError(
        f"publication abandonnée après {timeout:.0f} s d'attente : {what} est en cours de "
        f"publication par {found.named if found else 'un autre processus'}. {what} est "
        f"inchangé. À faire : attendre la fin de cette publication puis relancer"
        + (f" ; {found.remedy}" if found else "")
        + f" ({TIMEOUT_VARIABLE} règle ce délai, en secondes)"
    )


# --- the file lock ----------------------------------------------------------------------------


def this_process() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(sys.argv)[:300],
    }


def when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d/%m/%Y %H:%M:%S")


@contextlib.contextmanager
def file_lock(
    path: Path,
    what: str,
    say: Callable[[str], None] = say_on_stderr,
    timeout: float | None = None,
) -> Iterator[None]:
    """Hold `path`'s lock while inside, its holder written in it. OSError when the file cannot be
    opened or written; LockError when another holder keeps it past the timeout."""
    # Opened without truncation: the file names the holder that waiting processes read.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        with kept_from_children(fd):
            wait_for(lambda: _try_flock(fd), lambda: _file_holder(path), what, say, timeout)
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(this_process(), ensure_ascii=False).encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)  # no name of a holder gone
    finally:
        os.close(fd)  # the lock goes with its only descriptor


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _file_holder(path: Path) -> Holder | None:
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        pid, host = int(recorded["pid"]), str(recorded["host"])
        since = when(datetime.fromisoformat(str(recorded["since"])))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    named = f"le processus {pid} sur {host} depuis {since} (« {recorded.get('command') or '?'} »)"
    if host == socket.gethostname() and not process_alive(pid):
        return Holder(
            f"{named}, qui n'existe plus : un processus qu'il a laissé garde le verrou",
            f"arrêter les processus que `fuser -v {path}` montre",
        )
    return Holder(named, f"si ce processus ne publie plus, l'arrêter (kill {pid} sur {host})")
