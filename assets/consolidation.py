"""The consolidation of every staged source into the canonical tables, in a worker forked for it
under a memory ceiling and a time limit, as a source's reading is (assets/workers.py).

A pathological corpus (a list of near-identical names by the hundred thousand, a table repeated
over and over) then fails the tables' run with a French message, and published/ stays as it was,
rather than taking the host's memory with it. The staged sources reach the worker by the fork, not
by pickle; only the tables and their warnings come back.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import dagster as dg

from assets.workers import OverLimit, in_forked_worker

# Generous for the national corpus (a few hundred sources, a 100 000-line list among them); the
# environment may lower or raise them, as for a reading.
MEMORY_MB = 8192
TIMEOUT_S = 1800.0
MEMORY_VARIABLE = "MILLE_JOURS_CONSOLIDATION_MEMORY_MB"
TIMEOUT_VARIABLE = "MILLE_JOURS_CONSOLIDATION_TIMEOUT_S"
T = TypeVar("T")


def limits() -> tuple[int, float]:
    """The memory ceiling (MB) and the time limit (s), read when the tables are built."""
    return (
        int(os.environ.get(MEMORY_VARIABLE) or MEMORY_MB),
        float(os.environ.get(TIMEOUT_VARIABLE) or TIMEOUT_S),
    )


def bounded_consolidation(consolidation: Callable[..., T], *args: Any) -> T:
    """`consolidation(*args)` (`consolidate`, or the same holding back broken sources) under the
    limits; a `dg.Failure` saying in French which limit, and what to do."""
    memory_mb, timeout = limits()
    try:
        return in_forked_worker(consolidation, args, memory_mb, timeout)
    except OverLimit as stop:
        raise dg.Failure(
            description=stopped_message(stop.cause, memory_mb, timeout),
            allow_retries=stop.cause not in ("mémoire", "temps"),  # the same sources, the same end
        ) from None


def stopped_message(cause: str, memory_mb: int, timeout: float) -> str:
    unchanged = "elle a été arrêtée, rien n'est publié (published/ est inchangé)"
    oversized = (
        "chercher dans les sources lues une liste démesurée (des dizaines de milliers de "
        "bénéficiaires aux noms presque identiques, des lignes répétées) et la corriger ou la "
        "retirer de raw/"
    )
    if cause == "mémoire":
        return (
            f"La consolidation a dépassé {memory_mb} Mo de mémoire : {unchanged}. À faire : "
            f"{oversized} ; si les sources sont justes, relever {MEMORY_VARIABLE}."
        )
    if cause == "temps":
        seconds = f"{timeout:g}".replace(".", ",")
        return (
            f"La consolidation a dépassé {seconds} s : {unchanged}. À faire : {oversized} ; "
            f"si les sources sont justes, relever {TIMEOUT_VARIABLE}."
        )
    return (
        f"La consolidation s'est arrêtée brutalement ({cause}) : {unchanged}. À faire : relancer "
        "la publication ; si l'arrêt revient, le signaler aux mainteneurs."
    )
