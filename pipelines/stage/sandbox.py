"""One source read in its own worker process, with a memory ceiling and a time limit.

A hostile or broken file (a sheet declaring a million rows, a decompression bomb, a library that
aborts the process) then refuses that source alone: the worker dies or is stopped, the run goes on
with the other sources. The worker is forked, so it starts with every module already imported.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import resource
import signal
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Generous for a regional list (a 200 000-line spreadsheet stays well below), small beside a bomb.
# The environment may lower or raise them (a production host, the tests of hostile files).
MEMORY_MB = int(os.environ.get("MILLE_JOURS_SOURCE_MEMORY_MB", "6144"))
TIMEOUT_S = float(os.environ.get("MILLE_JOURS_SOURCE_TIMEOUT_S", "600"))


class Stopped(Exception):
    """The worker was stopped: `reason` says why, in French."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


def _limits() -> tuple[int, float]:
    memory = int(os.environ.get("MILLE_JOURS_SOURCE_MEMORY_MB", MEMORY_MB))
    timeout = float(os.environ.get("MILLE_JOURS_SOURCE_TIMEOUT_S", TIMEOUT_S))
    return memory, timeout


def _child(conn, fn: Callable[..., T], args: tuple, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    # A library aborting on the ceiling prints its own backtrace: not for the contributor's eyes.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    faulthandler.disable()
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = fn(*args)
        conn.send((True, result))
    except MemoryError:
        conn.send((False, "memory"))
    finally:
        conn.close()
    # Skip interpreter clean-up (atexit handlers of the parent's libraries): the result is sent.
    os._exit(0)


def bounded(fn: Callable[..., T], *args) -> T:
    """`fn(*args)` in a forked worker under the limits; raises `Stopped` when it cannot finish."""
    if sys.platform != "linux" or multiprocessing.current_process().daemon:
        return fn(*args)  # no fork here (or already in a worker): the reader's own checks only
    memory_mb, timeout = _limits()
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_child, args=(send, fn, args, memory_mb), daemon=True)
    worker.start()
    send.close()
    try:
        if receive.poll(timeout):
            try:
                ok, value = receive.recv()
            except EOFError:  # the worker died before answering (killed, or aborted by a library)
                ok, value = False, "died"
        else:
            ok, value = False, "timeout"
    finally:
        receive.close()
        if worker.is_alive() and not ok:
            os.kill(worker.pid, signal.SIGKILL)
        worker.join()
    if ok:
        return value
    if value == "timeout":
        raise Stopped(f"lecture arrêtée au bout de {timeout:.0f} s (limite par source)",
                      "vérifier le fichier : une liste de lauréats se lit en quelques secondes ; un tableau "
                      "démesuré (lignes ou colonnes déclarées par millions, pages, fusions) est à nettoyer")
    raise Stopped(f"lecture arrêtée : le fichier demande plus de {memory_mb} Mo de mémoire (limite par source)",
                  "vérifier le fichier : dimensions de feuille, lignes ou colonnes répétées, cellules fusionnées "
                  "ou pages déclarées en nombre démesuré ; le réenregistrer depuis le tableur, ou l'exporter en CSV")
