"""Each source is staged in a forked worker: a memory bomb, a crash or an endless read stops that
source alone, with a French message, and the other sources of the batch still come back
(assets/workers.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from assets.workers import Stopped, bounded_map


def virtual_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmSize")


def one(fn, *args):
    """One call in a worker: its result, or the `Stopped` that says why it has none."""
    return next(bounded_map(fn, [args], workers=1))


def rows(n: int) -> dict:
    return {"rows": list(range(n))}


def bomb() -> bytearray:
    return bytearray(2 * 1024**3)  # 2 GB


def test_a_result_comes_back_from_the_worker():
    assert one(rows, 5) == {"rows": [0, 1, 2, 3, 4]}


def test_a_memory_bomb_stops_the_worker_not_the_run(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MILLE_JOURS_SOURCE_MEMORY_MB", str(virtual_mb() + 256))
    stop = one(bomb)  # 2 GB asked, 256 MB left
    assert isinstance(stop, Stopped) and "plus de" in stop.reason and "Mo de mémoire" in stop.reason
    assert one(str.upper, "encore là") == "ENCORE LÀ"


def test_a_library_aborting_the_process_stops_the_worker_only():
    stop = one(os.abort)  # what « memory allocation failed » does in a Rust reader
    assert isinstance(stop, Stopped) and "lecture arrêtée" in stop.reason and stop.fix


def test_an_endless_read_is_stopped_at_the_time_limit(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MILLE_JOURS_SOURCE_TIMEOUT_S", "1")
    stop = one(time.sleep, 30)
    assert isinstance(stop, Stopped) and "au bout de 1 s" in stop.reason


def test_in_a_batch_only_the_broken_calls_are_stopped(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MILLE_JOURS_SOURCE_MEMORY_MB", str(virtual_mb() + 256))
    monkeypatch.setenv("MILLE_JOURS_SOURCE_TIMEOUT_S", "2")
    calls = [(rows, 2), (os.abort,), (rows, 3), (bomb,), (time.sleep, 30), (rows, 1)]
    results = list(bounded_map(call, calls, workers=2))
    assert (
        results[0] == {"rows": [0, 1]}
        and results[2] == {"rows": [0, 1, 2]}
        and results[5] == {"rows": [0]}
    )
    stopped = [r for r in results if isinstance(r, Stopped)]
    assert [results.index(r) for r in stopped] == [1, 3, 4]
    assert "Mo de mémoire" in results[1].reason and "Mo de mémoire" in results[3].reason
    assert "au bout de 2 s" in results[4].reason


def call(fn, *args):
    return fn(*args)
