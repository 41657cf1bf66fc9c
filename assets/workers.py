"""Sources read in worker processes, each source under a memory ceiling and a time limit; the
collector's settings of every process of a run.

A hostile or broken file (a sheet declaring a million rows, a decompression bomb, a library that
aborts the process) then refuses that source alone: its worker dies or is stopped, a new one takes
its place, and the run goes on with the other sources. The workers are forked once for a batch of
sources (pebble's process pool), so each starts with every module already imported and reads one
source after another; the sources of a batch are read side by side, a worker per core. One call
alone (`in_forked_worker`: the consolidation) gets a worker forked for it, under limits of its own.
"""

from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import resource
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import TypeVar

from pebble import ProcessExpired, ProcessPool, concurrent

from assets.reaping import claim_worker, reading_folder, sweep
from pipelines.common.problems import SourceError
from pipelines.stage.source import preload, stage_source, stopped_source
from pipelines.stage.staged import StagedSource

T = TypeVar("T")

# Generous for a regional list (a 200 000-line spreadsheet stays well below), small beside a bomb.
# The environment may lower or raise them (a production host, the tests of hostile files).
MEMORY_MB = int(os.environ.get("MILLE_JOURS_SOURCE_MEMORY_MB", "6144"))
TIMEOUT_S = float(os.environ.get("MILLE_JOURS_SOURCE_TIMEOUT_S", "600"))
# Workers reading side by side: one per core and one more, at most four. The run's own process
# and the workers each wait part of the time (results, events): one more worker keeps every core busy.
WORKERS = int(os.environ.get("MILLE_JOURS_WORKERS") or min((os.cpu_count() or 1) + 1, 4))


# A reading allocates millions of cells and a publication millions of events and rows, nearly all
# freed by reference counting and none in a cycle: collecting every 700 allocations, as Python does
# by default, walks them again and again for nothing.
GC_ALLOCATIONS = 10_000


def settle_collector() -> None:
    """What the process holds now (modules, definitions) lives as long as it does: frozen, the
    collector no longer walks it at each full pass, nor touches (and so copies) a forked worker's
    inherited pages; young objects are collected less often."""
    gc.freeze()
    gc.set_threshold(GC_ALLOCATIONS, *gc.get_threshold()[1:])


class Stopped(Exception):  # noqa: N818 — a signal to stop, not an error
    """The worker was stopped: `reason` says why, in French."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


def _limits() -> tuple[int, float]:
    memory = int(os.environ.get("MILLE_JOURS_SOURCE_MEMORY_MB", MEMORY_MB))
    timeout = float(os.environ.get("MILLE_JOURS_SOURCE_TIMEOUT_S", TIMEOUT_S))
    return memory, timeout


def _start_worker(memory_mb: int, parent: int, folder: str) -> None:
    # Its own process group, its own temporary folder, gone with it (assets/reaping.py).
    claim_worker(parent, Path(folder))
    # A library aborting on the ceiling prints its own backtrace: not for the contributor's eyes.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    faulthandler.disable()
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    settle_collector()


def _timed_out(timeout: float) -> Stopped:
    return Stopped(
        f"lecture arrêtée au bout de {timeout:.0f} s (limite par source)",
        "vérifier le fichier : une liste de lauréats se lit en quelques secondes ; un tableau "
        "démesuré (lignes ou colonnes déclarées par millions, pages, fusions) est à nettoyer",
    )


def _how_it_died(exitcode: int) -> str:
    try:
        return signal.Signals(-exitcode).name
    except ValueError:
        return f"code {exitcode}"


def _out_of_memory_death(exitcode: int) -> bool:
    """An abort or a kill is the memory ceiling (a library aborting when an allocation fails, the
    system's out-of-memory killer)."""
    return -exitcode in (0, signal.SIGABRT, signal.SIGKILL, signal.SIGBUS)


def _crashed(exitcode: int) -> Stopped:
    return Stopped(
        "lecture arrêtée : la bibliothèque de lecture du fichier s'est arrêtée brutalement "
        f"({_how_it_died(exitcode)})",
        "vérifier que le fichier s'ouvre dans le logiciel qui l'a produit et le réenregistrer "
        "(ou l'exporter en CSV) ; si l'arrêt revient, le signaler aux mainteneurs avec le fichier",
    )


def _expired(error: ProcessExpired, memory_mb: int) -> Stopped:
    """A worker that died: of the memory ceiling, or a crash."""
    exitcode = error.exitcode or 0
    if _out_of_memory_death(exitcode):
        return _out_of_memory(memory_mb)
    return _crashed(exitcode)


def _out_of_memory(memory_mb: int) -> Stopped:
    return Stopped(
        f"lecture arrêtée : le fichier demande plus de {memory_mb} Mo de mémoire (limite par source)",
        "vérifier le fichier : dimensions de feuille, lignes ou colonnes répétées, cellules fusionnées "
        "ou pages déclarées en nombre démesuré ; le réenregistrer depuis le tableur, ou l'exporter en CSV",
    )


def bounded_map(
    fn: Callable[..., T], calls: Sequence[tuple], workers: int | None = None
) -> Iterator[T | Stopped]:
    """`fn(*args)` for each args of `calls`, in workers under the limits, yielded in the order given;
    a call that cannot finish (memory, time, the worker killed or aborted) yields a `Stopped`.

    `fn` and its arguments go to the workers by pickle: a function defined at a module's top level.
    """
    if not calls:
        return
    if sys.platform != "linux" or multiprocessing.current_process().daemon:
        yield from (fn(*args) for args in calls)  # no fork here: the reader's own checks only
        return
    memory_mb, timeout = _limits()
    size = max(1, min(workers or WORKERS, len(calls)))
    with reading_folder() as folder:
        pool = ProcessPool(
            max_workers=size,
            initializer=_start_worker,
            initargs=(memory_mb, os.getpid(), str(folder)),
            context=multiprocessing.get_context("fork"),
        )
        try:
            futures = [pool.schedule(fn, args=args, timeout=timeout) for args in calls]
            for future in futures:
                try:
                    yield future.result()
                except FutureTimeout:
                    sweep(folder)  # the stopped worker's children and temporary files
                    yield _timed_out(timeout)
                except MemoryError:
                    yield _out_of_memory(memory_mb)
                except ProcessExpired as error:
                    sweep(folder)
                    yield _expired(error, memory_mb)
        finally:
            # A signal, an error or a caller that stops early: the pending readings are not waited for.
            pool.stop()
            pool.join()


def _as_read(staged: StagedSource) -> StagedSource:
    return staged


def _read_then(manifest_path: Path, raw_root: Path, then: Callable[[StagedSource], T]) -> T:
    return then(stage_source(manifest_path, raw_root))


def read_sources(
    manifest_paths: Sequence[Path], raw_root: Path, then: Callable[[StagedSource], T] = _as_read
) -> Iterator[T]:
    """`stage_source` of each manifest in the workers, yielded in the order given; a source stopped
    (memory, time, a crash) is a failed source saying why.

    `then(staged)` runs in the worker too, right after the reading: what the caller
    makes of each source (its summary, its checks) is computed side by side as well. It must be a
    function defined at a module's top level (it travels to the workers by pickle).
    """
    for path in manifest_paths:
        preload(path)  # once here rather than in every forked worker
    calls = [(path, raw_root, then) for path in manifest_paths]
    for path, outcome in zip(manifest_paths, bounded_map(_read_then, calls)):
        if isinstance(outcome, Stopped):
            yield then(stopped_source(path, raw_root, outcome.reason, outcome.fix))
        else:
            yield outcome


def in_sandbox(fn: Callable[..., T], *args) -> T:
    """`fn(*args)` in one worker under the reading's limits (the draft of `mille-jours new-source`
    and of the contributor page); a SourceError naming the file when it cannot finish."""
    outcomes = bounded_map(fn, [args], workers=1)
    try:
        outcome = next(outcomes)
    finally:
        outcomes.close()  # the worker goes now, not when the generator is collected
    if isinstance(outcome, Stopped):
        where = next((a for a in args if isinstance(a, Path)), "fichier")
        raise SourceError(where, outcome.reason, fix=outcome.fix)
    return outcome


class OverLimit(Exception):  # noqa: N818 — a limit reached, said by the caller in its own words
    """A call in a forked worker that could not finish: `cause` is « mémoire », « temps », or how
    the worker died."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


def _limited(memory_mb: int, parent: int, folder: str, fn: Callable[..., T], args: tuple) -> T:
    _start_worker(memory_mb, parent, folder)
    return fn(*args)


def in_forked_worker(fn: Callable[..., T], args: tuple, memory_mb: int, timeout: float) -> T:
    """`fn(*args)` in one worker forked for it, under these limits: the arguments are inherited by
    the fork, never shipped; the result comes back by pickle. `OverLimit` when it cannot finish."""
    if sys.platform != "linux" or multiprocessing.current_process().daemon:
        return fn(*args)  # no fork here: unbounded, as a reading is
    with reading_folder() as folder:
        run = concurrent.process(timeout=timeout, context=multiprocessing.get_context("fork"))(
            _limited
        )
        future = run(memory_mb, os.getpid(), str(folder), fn, args)
        try:
            return future.result()
        except FutureTimeout:
            raise OverLimit("temps") from None
        except MemoryError:
            raise OverLimit("mémoire") from None
        except ProcessExpired as error:
            exitcode = error.exitcode or 0
            raise OverLimit(
                "mémoire" if _out_of_memory_death(exitcode) else _how_it_died(exitcode)
            ) from None
        finally:
            future.cancel()  # a signal or an error here: the worker goes now
