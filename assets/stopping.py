"""`mille-jours publish` stopped by its supervisor (SIGTERM from systemd or Kubernetes) or by Ctrl-C:
the publication ends within seconds, its workers and their children with it (assets/reaping.py),
published/ as it was, and the command says so in French.

Dagster replaces the handlers of SIGTERM and SIGINT while it runs a job, and outside a step it only
notes the signal, forgetting it when the run ends. The wakeup file descriptor, written to by the
interpreter for every signal that has a Python handler, whichever, is how the publication still
knows of it between its runs. It is this process's alone: a process forked meanwhile (a reading's
worker, which the pool stops by SIGTERM) gets its own handlers and no wakeup descriptor back.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Interrupted(BaseException):  # like KeyboardInterrupt: no `except Exception` swallows it
    """The publication was asked to stop by a signal."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(
            f"Publication interrompue ({signal.Signals(signum).name} reçu) : les lectures en cours "
            "sont arrêtées, published/ est inchangé. À faire : relancer `mille-jours publish` ; "
            "les sources déjà lues ne sont pas relues."
        )


@dataclass
class _Listening:
    """The publication's process listening for stop signals: the pipe of its wakeup file descriptor
    and what it replaced."""

    pid: int
    read_fd: int
    write_fd: int
    previous_fd: int
    previous: dict[int, Any]


_state: dict[str, _Listening] = {}
_forking = threading.local()


def _raise(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within: SIGTERM or SIGINT raise `Interrupted`, at once outside Dagster's runs, and at the
    next `raise_if_stopped` after a run that noted it."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    previous_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    previous = {signum: signal.signal(signum, _raise) for signum in STOP_SIGNALS}
    _state["listening"] = _Listening(os.getpid(), read_fd, write_fd, previous_fd, previous)
    try:
        yield
    finally:
        _state.pop("listening", None)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        signal.set_wakeup_fd(previous_fd)
        os.close(read_fd)
        os.close(write_fd)


def raise_if_stopped() -> None:
    """`Interrupted` if a stop signal came to this process since the last look, whoever handled it."""
    listening = _state.get("listening")
    if listening is None or listening.pid != os.getpid():
        return
    try:
        received = os.read(listening.read_fd, 1024)
    except BlockingIOError:
        return
    for signum in received:
        if signum in STOP_SIGNALS:
            raise Interrupted(signum)


# A process forked while the publication listens (a reading's worker) inherits its wakeup file
# descriptor, the same pipe: the SIGTERM that stops the worker at its time limit or at the end of
# the readings would be read as the publication's own. The child gets its own signals back, and
# the stop signals stay blocked across the fork so that none reaches the pipe in between.
def _before_fork() -> None:
    if "listening" in _state:
        _forking.mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def _after_fork_in_parent() -> None:
    mask = getattr(_forking, "mask", None)
    if mask is not None:
        _forking.mask = None
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _after_fork_in_child() -> None:
    listening = _state.pop("listening", None)
    if listening is None:
        return
    signal.set_wakeup_fd(listening.previous_fd)
    for signum, handler in listening.previous.items():
        signal.signal(signum, handler)
    os.close(listening.read_fd)
    os.close(listening.write_fd)
    _after_fork_in_parent()  # the mask the forking thread had


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child
)
