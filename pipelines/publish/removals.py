"""A release never loses sources by accident: a raw/ emptied by mistake, a source that now fails,
a source whose lines shrink to a few (a file replaced by its first page, a filter gone wrong).

The sources published by the previous release (`published/data/sources.csv`, status ok or
rejected_rows) must all be published again, each with at least half its accepted lines, unless the
removal is asked for.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.common.text import french_number

PUBLISHED_STATUSES = ("ok", "rejected_rows")
_SHOWN = 5
# A source keeping less than this share of its accepted lines has lost them, not been corrected.
KEPT_SHARE = 0.5


def published_lines(sources: pd.DataFrame) -> dict[str, int]:
    """Each published source and its accepted lines."""
    kept = sources.loc[sources["status"].isin(PUBLISHED_STATUSES)]
    counts = pd.to_numeric(kept["rows_accepted"], errors="coerce").fillna(0).astype(int)
    return dict(zip(kept["source_id"], counts.tolist()))


def published_sources(sources: pd.DataFrame) -> set[str]:
    return set(published_lines(sources))


def previous_lines(published: Path) -> dict[str, int]:
    path = published / "data" / "sources.csv"
    if not path.is_file():
        return {}
    try:
        columns = ["source_id", "status", "rows_accepted"]
        return published_lines(pd.read_csv(path, dtype=str, usecols=columns))
    except (ValueError, OSError):  # a damaged previous release: nothing to compare with
        return {}


def _listed(items: list[str]) -> str:
    more = len(items) - _SHOWN
    return ", ".join(items[:_SHOWN]) + (f" et {more} autre(s)" if more > 0 else "")


def removals_message(tables: dict[str, pd.DataFrame], published: Path) -> str | None:
    """What the new release would drop, sources or more than half of a source's lines, said in
    French; None when it drops nothing."""
    before, now = previous_lines(published), published_lines(tables["sources"])
    dropped = sorted(set(before) - set(now))
    shrunk = sorted(
        f"{sid} : {french_number(now[sid])} ligne(s) acceptée(s) au lieu de "
        f"{french_number(before[sid])}"
        for sid in set(before) & set(now)
        if now[sid] < KEPT_SHARE * before[sid]
    )
    if not dropped and not shrunk:
        return None
    said = []
    if dropped:
        said.append(
            f"{len(dropped)} source(s) de la publication précédente n'y seraient plus "
            f"({_listed(dropped)})"
        )
    if shrunk:
        said.append(
            f"{len(shrunk)} source(s) perdraient plus de la moitié de leurs lignes ({_listed(shrunk)})"
        )
    return (
        f"publication arrêtée : {' ; '.join(said)} ; published/ est inchangé. À faire : remettre "
        "ces sources et leurs lignes dans raw/ ou corriger leur erreur (mille-jours validate raw/) ; "
        "si ce retrait est voulu, relancer avec `mille-jours publish --allow-removals`"
    )
