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


def schema_changes(previous: dict[str, Any] | None, descriptor: dict[str, Any]) -> list[str]:
    """Tables whose columns were added, removed or redefined."""
    if not previous:
        return []
    before = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in previous.get("resources", [])}
    after = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    lines = []
    for name in sorted(set(before) | set(after)):
        if name not in before and name.endswith("_parquet") and name.removesuffix("_parquet") in before:
            lines.append(f"le fichier Parquet de `{name.removesuffix('_parquet')}` devient la ressource `{name}` "
                         "(octets et empreinte vérifiés par le validateur)")
            continue
        if name not in before:
            lines.append(f"schéma : nouvelle table `{name}`")
            continue
        if name not in after:
            lines.append(f"schéma : table `{name}` retirée")
            continue
        added = sorted(set(after[name]) - set(before[name]))
        removed = sorted(set(before[name]) - set(after[name]))
        redefined = sorted(f for f in set(after[name]) & set(before[name]) if after[name][f] != before[name][f])
        for label, fields in (("colonnes ajoutées", added), ("colonnes retirées", removed),
                              ("colonnes redéfinies", redefined)):
            if fields:
                lines.append(f"schéma de `{name}` : {label} " + ", ".join(f"`{f}`" for f in fields))
    return lines


def source_changes(tables: dict[str, pd.DataFrame], published: Path) -> list[str]:
    path = published / "data" / "sources.parquet"
    if not path.exists():
        return []
    before = pd.read_parquet(path).set_index("source_id")["sha256"]
    after = tables["sources"].set_index("source_id")["sha256"]
    lines = [f"source ajoutée : `{s}`" for s in sorted(set(after.index) - set(before.index))]
    lines += [f"source retirée : `{s}`" for s in sorted(set(before.index) - set(after.index))]
    lines += [f"source modifiée : `{s}`" for s in sorted(set(after.index) & set(before.index))
              if not _same(before[s], after[s])]
    return lines


def changes(tables: dict[str, pd.DataFrame], published: Path) -> list[str]:
    """One line per campaign whose rows or figures changed: rows added, removed, amounts changed."""
    before_awards = _previous_awards(published)
    before_campaigns = _previous_campaigns(published)
    after_awards, after_campaigns = tables["awards"], tables["campaigns"]
    if before_awards is None or before_campaigns is None:
        return ["Première publication."]
    lines = source_changes(tables, published)
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
    return lines


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
    lines = schema_changes(previous, descriptor) + changes(tables, published)
    entry += [f"- {line}" for line in lines or ["Corrections sans effet sur les campagnes ni les lignes."]]
    return HEADER + "\n" + "\n".join(entry) + "\n" + ("\n" + body if body else "")
