"""`mille-jours publish` stopped by its supervisor (SIGTERM from systemd or Kubernetes) or by Ctrl-C:
the publication ends within seconds, its workers and their children with it (assets/reaping.py),
published/ as it was, and the command says so in French.

Dagster replaces the handlers of SIGTERM and SIGINT while it runs a job, and outside a step it only
notes the signal, forgetting it when the run ends. The wakeup file descriptor, written to by the
interpreter for every signal that has a Python handler, whichever, is how the publication still
knows of it between its runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

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


_wakeup: dict[str, int] = {}


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
    _wakeup["fd"] = read_fd
    try:
        yield
    finally:
        _wakeup.pop("fd", None)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        signal.set_wakeup_fd(previous_fd)
        os.close(read_fd)
        os.close(write_fd)


def raise_if_stopped() -> None:
    """`Interrupted` if a stop signal came since the last look, whoever handled it."""
    fd = _wakeup.get("fd")
    if fd is None:
        return
    try:
        received = os.read(fd, 1024)
    except BlockingIOError:
        return
    for signum in received:
        if signum in STOP_SIGNALS:
            raise Interrupted(signum)
