"""A release never loses sources by accident: a raw/ emptied by mistake, a source that now fails.

The sources published by the previous release (`published/data/sources.csv`, status ok or
rejected_rows) must all be published again, unless the removal is asked for.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

PUBLISHED_STATUSES = ("ok", "rejected_rows")


def published_sources(sources: pd.DataFrame) -> set[str]:
    return set(sources.loc[sources["status"].isin(PUBLISHED_STATUSES), "source_id"])


def previous_sources(published: Path) -> set[str]:
    path = published / "data" / "sources.csv"
    if not path.is_file():
        return set()
    try:
        return published_sources(pd.read_csv(path, dtype=str, usecols=["source_id", "status"]))
    except (ValueError, OSError):  # a damaged previous release: nothing to compare with
        return set()


def removals_message(tables: dict[str, pd.DataFrame], published: Path) -> str | None:
    """What the new release would drop, said in French; None when it drops nothing."""
    dropped = sorted(previous_sources(published) - published_sources(tables["sources"]))
    if not dropped:
        return None
    shown = ", ".join(dropped[:5]) + (
        f" et {len(dropped) - 5} autre(s)" if len(dropped) > 5 else ""
    )
    return (
        f"publication arrêtée : {len(dropped)} source(s) de la publication précédente n'y seraient plus "
        f"({shown}) ; published/ est inchangé. À faire : remettre ces sources dans raw/ ou corriger leur "
        "erreur (mille-jours validate raw/) ; si leur retrait est voulu, relancer avec "
        "`mille-jours publish --allow-removals`"
    )
