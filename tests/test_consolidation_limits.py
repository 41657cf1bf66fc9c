"""The tables are consolidated in a worker under a memory ceiling and a time limit, as a source is
read: past either, the publication fails with a French message and published/ stays as it was
(assets/consolidation.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from assets.consolidation import MEMORY_VARIABLE, TIMEOUT_VARIABLE, stopped_message
from assets.publication import publish_all
from assets.workers import OverLimit, in_forked_worker
from tests.conftest import REPO, add_source
from tests.fictif import csv_fictif, manifest_fictif


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_past_its_limits_the_consolidation_fails_in_french_and_published_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = tmp_path / "projet"
    add_source(root, "normandie", 2024, "laureats-fictifs", csv_fictif(), manifest_fictif())
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(root))
    monkeypatch.setenv("DAGSTER_HOME", str(root / ".dagster"))
    first = publish_all(root)
    assert first.ok, "\n".join(first.lines)
    published = root / "published"
    before = tree(published)
    shutil.copytree(
        REPO / "raw" / "pays-de-la-loire" / "2021", root / "raw" / "pays-de-la-loire" / "2021"
    )
    with monkeypatch.context() as limited:
        limited.setenv(TIMEOUT_VARIABLE, "0.01")
        stopped = publish_all(root)
    text = "\n".join(stopped.lines)
    assert not stopped.ok and "La consolidation a dépassé 0,01 s : " in text, text
    assert "À faire : chercher dans les sources lues une liste démesurée" in text
    assert "published/ est inchangé" in text and "Traceback" not in text
    assert tree(published) == before


def virtual_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmSize")


def bomb() -> bytearray:
    return bytearray(2 * 1024**3)  # 2 GB


def test_the_worker_gives_back_the_result_or_says_which_limit_stopped_it():
    assert in_forked_worker(sorted, ([3, 1, 2],), memory_mb=8192, timeout=30) == [1, 2, 3]
    with pytest.raises(OverLimit) as over_memory:
        in_forked_worker(bomb, (), memory_mb=virtual_mb() + 256, timeout=30)
    assert over_memory.value.cause == "mémoire"
    message = stopped_message(over_memory.value.cause, 512, 1800)
    assert message.startswith("La consolidation a dépassé 512 Mo de mémoire : ")
    assert MEMORY_VARIABLE in message.split("À faire : ")[1]
    started = time.monotonic()
    with pytest.raises(OverLimit) as timed_out:
        in_forked_worker(time.sleep, (30,), memory_mb=8192, timeout=1)
    assert timed_out.value.cause == "temps" and time.monotonic() - started < 10
    with pytest.raises(OverLimit) as aborted:
        in_forked_worker(os.abort, (), memory_mb=8192, timeout=30)
    assert aborted.value.cause == "mémoire"  # what an allocation failing in a C library does


def test_the_worker_is_forked_whatever_the_default_start_method():
    """A run launched by the daemon may start its processes by « spawn » (Dagster's run workers do):
    the consolidation's worker is still forked, so that what it is given (a closure, the staged
    sources) is inherited and never pickled."""
    import multiprocessing

    default = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method("spawn", force=True)
    try:
        offset = 40
        assert in_forked_worker(lambda x: x + offset, (2,), 2048, 30) == 42
    finally:
        multiprocessing.set_start_method(default, force=True)
