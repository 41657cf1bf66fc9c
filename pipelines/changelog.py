"""CHANGELOG.md: what changed since the previous release, campaign by campaign."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

HEADER = "# Journal des versions\n\nChaque version du paquet, et ce qui a changé depuis la précédente.\n"


def _previous_awards(published: Path) -> pd.DataFrame | None:
    path = published / "data" / "awards.parquet"
    return pd.read_parquet(path) if path.exists() else None


def _previous_campaigns(published: Path) -> pd.DataFrame | None:
    path = published / "data" / "campaigns.parquet"
    return pd.read_parquet(path) if path.exists() else None


def changes(tables: dict[str, pd.DataFrame], published: Path) -> list[str]:
    """One line per campaign whose rows or figures changed: rows added, removed, amounts changed."""
    before_awards = _previous_awards(published)
    before_campaigns = _previous_campaigns(published)
    after_awards, after_campaigns = tables["awards"], tables["campaigns"]
    if before_awards is None or before_campaigns is None:
        return ["Première publication."]
    lines = []
    ids = sorted(set(before_campaigns["campaign_id"]) | set(after_campaigns["campaign_id"]))
    for cid in ids:
        was = before_awards[before_awards["campaign_id"] == cid].set_index("award_id")
        now = after_awards[after_awards["campaign_id"] == cid].set_index("award_id")
        added = sorted(set(now.index) - set(was.index))
        removed = sorted(set(was.index) - set(now.index))
        common = sorted(set(now.index) & set(was.index))
        changed = [a for a in common if not _same(was.at[a, "amount_eur"], now.at[a, "amount_eur"])]
        facts = []
        if cid not in set(before_campaigns["campaign_id"]):
            facts.append("nouvelle campagne")
        elif cid not in set(after_campaigns["campaign_id"]):
            facts.append("campagne retirée")
        else:
            b = before_campaigns.set_index("campaign_id").loc[cid]
            a = after_campaigns.set_index("campaign_id").loc[cid]
            for col in ("declared_awards_count", "declared_total_eur", "envelope_eur", "title"):
                if not _same(b[col], a[col]):
                    facts.append(f"{col} : {_fmt(b[col])} → {_fmt(a[col])}")
        if added:
            facts.append(f"{len(added)} ligne(s) ajoutée(s)")
        if removed:
            facts.append(f"{len(removed)} ligne(s) retirée(s)")
        if changed:
            facts.append(f"{len(changed)} montant(s) modifié(s)")
        if facts:
            lines.append(f"`{cid}` : " + " ; ".join(facts))
    return lines or ["Mêmes campagnes et mêmes lignes ; métadonnées ou sources mises à jour."]


def _same(a: Any, b: Any) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    return a == b


def _fmt(value: Any) -> str:
    return "vide" if pd.isna(value) else str(value)


def changelog(descriptor: dict[str, Any], tables: dict[str, pd.DataFrame], previous: dict[str, Any] | None,
              published: Path) -> str:
    old_path = published / "CHANGELOG.md"
    old = old_path.read_text(encoding="utf-8") if old_path.exists() else ""
    version = descriptor["version"]
    if previous and previous.get("version") == version and old:
        return old  # unchanged release: unchanged history
    body = old.removeprefix(HEADER).lstrip("\n") if old.startswith(HEADER) else ""
    entry = [f"## {version} — {descriptor['created'][:10]}", ""]
    entry += [f"- {line}" for line in changes(tables, published)]
    return HEADER + "\n" + "\n".join(entry) + "\n" + ("\n" + body if body else "")
