"""CHANGELOG.md: what changed since the previous release, campaign by campaign.

Only the release's own heading starts a line: contributed text (identifiers, titles) goes inline,
on its entry's line, escaped (`markdown`), so that no title can forge a heading or a release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.common.text import french_number
from pipelines.publish.markdown import markdown_code as code
from pipelines.publish.markdown import markdown_text
from pipelines.publish.versioning import content_fingerprint

HEADER = (
    "# Journal des versions\n\nChaque version du paquet, et ce qui a changé depuis la précédente.\n"
)


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
    before = {
        r["name"]: {f["name"]: f for f in r["schema"]["fields"]}
        for r in previous.get("resources", [])
    }
    after = {
        r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in descriptor["resources"]
    }
    lines = []
    for name in sorted(set(before) | set(after)):
        if (
            name not in before
            and name.endswith("_parquet")
            and name.removesuffix("_parquet") in before
        ):
            lines.append(
                f"le fichier Parquet de `{name.removesuffix('_parquet')}` devient la ressource `{name}` "
                "(octets et empreinte vérifiés par le validateur)"
            )
            continue
        if name not in before:
            lines.append(f"schéma : nouvelle table `{name}`")
            continue
        if name not in after:
            lines.append(f"schéma : table `{name}` retirée")
            continue
        added = sorted(set(after[name]) - set(before[name]))
        removed = sorted(set(before[name]) - set(after[name]))
        redefined = sorted(
            f for f in set(after[name]) & set(before[name]) if after[name][f] != before[name][f]
        )
        for label, fields in (
            ("colonnes ajoutées", added),
            ("colonnes retirées", removed),
            ("colonnes redéfinies", redefined),
        ):
            if fields:
                lines.append(
                    f"schéma de `{name}` : {label} "
                    + ", ".join(
                        f"`{f}`{_changes_said(before[name].get(f), after[name][f])}" for f in fields
                    )
                )
    return lines


def _changes_said(before: dict[str, Any] | None, after: dict[str, Any]) -> str:
    """What changed in a field, in French: « (valeurs permises ajoutées : COMMUNE, …) » when it
    only gained allowed values, else each constraint changed (« longueur maximale : 80 »)."""
    if before is None:  # a column added: its name says it
        return ""
    was_constraints = before.get("constraints", {})
    constraints = after.get("constraints", {})
    was, now = was_constraints.get("enum"), constraints.get("enum")
    if was and now and set(was) < set(now):
        rest = {**after, "constraints": {**constraints, "enum": was}}
        if rest == before:
            return f" (valeurs permises ajoutées : {', '.join(v for v in now if v not in was)})"
    said = [
        _constraint(key, constraints.get(key))
        for key in sorted(set(was_constraints) | set(constraints))
        if was_constraints.get(key) != constraints.get(key)
    ]
    if before.get("type") != after.get("type"):
        said.append(f"type : {after.get('type')}")
    for key, name in (("title", "titre"), ("description", "description")):
        if before.get(key) != after.get(key):
            said.append(name)
    return f" ({' ; '.join(said)})" if said else ""


def _number(value: Any) -> Any:
    return french_number(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _constraint(key: str, value: Any) -> str:
    names = {"maxLength": "longueur maximale", "enum": "valeurs permises", "required": "requise"}
    if value is None:
        return f"{names.get(key, key)} : retirée"
    if isinstance(value, bool):
        return f"{names.get(key, key)} : {'oui' if value else 'non'}"
    shown = ", ".join(map(str, value)) if isinstance(value, list) else _number(value)
    return f"{names.get(key, key)} : {shown}"


def source_changes(tables: dict[str, pd.DataFrame], published: Path) -> list[str]:
    path = published / "data" / "sources.parquet"
    if not path.exists():
        return []
    before = pd.read_parquet(path).set_index("source_id")["sha256"]
    after = tables["sources"].set_index("source_id")["sha256"]
    lines = [f"source ajoutée : {code(s)}" for s in sorted(set(after.index) - set(before.index))]
    lines += [f"source retirée : {code(s)}" for s in sorted(set(before.index) - set(after.index))]
    lines += [
        f"source modifiée : {code(s)}"
        for s in sorted(set(after.index) & set(before.index))
        if not _same(before[s], after[s])
    ]
    return lines + held_back_lines(tables["sources"])


def held_back_lines(sources: pd.DataFrame) -> list[str]:
    """The sources held back on their last good reading, each with why (contributed text, escaped)."""
    if "held_back" not in sources:
        return []
    held = sources.dropna(subset=["held_back"])
    return [
        f"source retenue : {code(sid)} — {markdown_text(str(text))}"
        for sid, text in zip(held["source_id"], held["held_back"])
    ]


# A campaign's columns whose change the CHANGELOG says (a previous release may lack some of them).
COMPARED_FIGURES = ("kind", "declared_awards_count", "declared_total_eur", "envelope_eur", "title")


def changes(tables: dict[str, pd.DataFrame], published: Path) -> list[str]:
    """One line per campaign whose rows or figures changed: rows added, removed, amounts changed."""
    before_awards = _previous_awards(published)
    before_campaigns = _previous_campaigns(published)
    after_awards, after_campaigns = tables["awards"], tables["campaigns"]
    if before_awards is None or before_campaigns is None:
        return ["Première publication."]
    lines = source_changes(tables, published)
    # Award lines matched by campaign and award id, all campaigns at once.
    was = before_awards.set_index(["campaign_id", "award_id"])["amount_eur"]
    now = after_awards.set_index(["campaign_id", "award_id"])["amount_eur"]
    common = now.index.intersection(was.index)
    a, b = was.reindex(common), now.reindex(common)
    differ = ~((a.isna() & b.isna()).to_numpy() | (a == b).fillna(False).to_numpy(dtype=bool))
    per_campaign = {
        "added": now.index.difference(was.index).get_level_values(0).value_counts(),
        "removed": was.index.difference(now.index).get_level_values(0).value_counts(),
        "changed": common[differ].get_level_values(0).value_counts(),
    }
    before, after = (
        before_campaigns.set_index("campaign_id"),
        after_campaigns.set_index("campaign_id"),
    )
    for cid in sorted(set(before.index) | set(after.index)):
        facts = []
        if cid not in before.index:
            facts.append("nouvelle campagne")
        elif cid not in after.index:
            facts.append("campagne retirée")
        else:
            for col in COMPARED_FIGURES:
                if col in before.columns and not _same(before.at[cid, col], after.at[cid, col]):
                    facts.append(
                        f"{col} : {_fmt(before.at[cid, col])} → {_fmt(after.at[cid, col])}"
                    )
        for kind, label in (
            ("added", "ligne(s) ajoutée(s)"),
            ("removed", "ligne(s) retirée(s)"),
            ("changed", "montant(s) modifié(s)"),
        ):
            n = int(per_campaign[kind].get(cid, 0))
            if n:
                facts.append(f"{n} {label}")
        if facts:
            lines.append(f"{code(cid)} : " + " ; ".join(facts))
    return lines


def _same(a: Any, b: Any) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    return a == b


def _fmt(value: Any) -> str:
    """A campaign's figure or title, contributed text: inline, on its entry's line, escaped."""
    return "vide" if pd.isna(value) else markdown_text(str(value))


def changelog(
    descriptor: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    previous: dict[str, Any] | None,
    published: Path,
) -> str:
    old_path = published / "CHANGELOG.md"
    old = old_path.read_text(encoding="utf-8") if old_path.exists() else ""
    version = descriptor["version"]
    if previous and previous.get("version") == version and old:
        return old  # unchanged release: unchanged history
    body = old.removeprefix(HEADER).lstrip("\n") if old.startswith(HEADER) else ""
    entry = [f"## {version} — {descriptor['created'][:10]}", ""]
    lines = schema_changes(previous, descriptor) + changes(tables, published)
    if previous and content_fingerprint(previous) == content_fingerprint(descriptor):
        lines = [
            "Documents seulement (README, page de présentation, sources, citation) : aucune "
            "donnée ni aucun schéma n'a changé."
        ]
    entry += [
        f"- {line}" for line in lines or ["Corrections sans effet sur les campagnes ni les lignes."]
    ]
    return HEADER + "\n" + "\n".join(entry) + "\n" + ("\n" + body if body else "")
