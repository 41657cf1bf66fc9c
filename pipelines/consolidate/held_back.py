"""One broken source never blocks the release: a source of the previous release whose current
version cannot be published (refused, unreadable, its reading failed, gone from raw/) is held back.

Its last good reading is consolidated again in its place, so every table (beneficiaries, funding,
coverage, figures) stays whole and consistent, and its `sources` row says so in `held_back`: its
lines are those of that reading, never passed as current. Only an asked-for removal withdraws it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

import pandas as pd

from pipelines.consolidate.tables import Consolidated, consolidate
from pipelines.stage.staged import StagedSource

PUBLISHABLE = ("ok", "rejected_rows")


def held_back_text(good: StagedSource, reason: str) -> str:
    """« retenue : dernière lecture valide du JJ/MM/AAAA, … » — the date is the reading's file's
    consultation date (its manifest's `retrieved`), the same on every machine."""
    retrieved = str(good.source.get("retrieved") or "")
    day = f"{retrieved[8:10]}/{retrieved[5:7]}/{retrieved[:4]}" if len(retrieved) == 10 else "?"
    return f"retenue : dernière lecture valide du {day}, la version actuelle est refusée : {reason}"


def consolidate_holding_back(
    staged: list[StagedSource],
    previous: Iterable[str],
    last_good: Callable[[str], StagedSource | None],
    why_unread: Callable[[str], str],
) -> tuple[Consolidated, list[str]]:
    """The tables, each source of `previous` (the previous release's published sources) that can no
    longer be published replaced by its last good reading; and the sources so held back.

    A source with no good reading stored is left as it is (the removal guard then says so).
    """
    # Consolidation marks sources refused on the objects it is given: the first pass on copies.
    first = consolidate([copy.copy(s) for s in staged])
    sources = first.tables["sources"].set_index("source_id")
    by_id = {s.source_id: s for s in staged}
    held = []
    for source_id in sorted(set(previous)):
        if source_id in sources.index and sources.at[source_id, "status"] in PUBLISHABLE:
            continue
        good = last_good(source_id)
        if good is None or good.status not in PUBLISHABLE:
            continue
        reason = why_unread(source_id)
        if source_id in sources.index:
            message = sources.at[source_id, "message"]
            reason = str(sources.at[source_id, "status"] if pd.isna(message) else message)
        good.source = {
            **good.source,
            "held_back": held_back_text(good, reason),
            "message": reason,
        }
        by_id[source_id] = good
        held.append(source_id)
    if not held:
        return first, []
    result = consolidate(list(by_id.values()))
    result.warnings.extend(f"{sid} : {by_id[sid].source['held_back']}" for sid in held)
    return result, held
