"""A campaign id two manifests of one folder describe differently (another title, another kind):
the publication keeps one description, so the other file's is in doubt. Checked by
`mille-jours validate` over the sources it reads, against every manifest beside them.

A source is read again only when its own file or manifest changes, so this check looks across
manifests after the readings, never inside one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipelines.common.doubts import doubt
from pipelines.common.problems import Problem, SourceError
from pipelines.common.text import text_key
from pipelines.read.manifest import Campaign
from pipelines.read.manifest_file import load_manifest
from pipelines.stage.staged import StagedSource


def campaign_conflicts(staged: Iterable[StagedSource], raw_root: Path) -> list[StagedSource]:
    """Each source read, with a `sibling_campaign` doubt per manifest of its folder that gives its
    campaign id another title or kind (unless its manifest confirms it)."""
    staged = list(staged)
    for s in staged:
        if s.error is not None or not s.campaign:
            continue
        path = raw_root / f"{s.source_id}.yaml"
        try:
            own = load_manifest(path)
        except SourceError:
            continue
        if "sibling_campaign" in own.confirmed:
            continue
        for other in sorted(path.parent.glob("*.yaml")):
            if other == path:
                continue
            try:
                theirs = load_manifest(other).campaign
            except SourceError:
                continue  # its own reading says why
            if theirs.id == own.campaign.id:
                s.warnings += _conflict(own.campaign, theirs, other.name)
    return staged


def _conflict(own: Campaign, theirs: Campaign, name: str) -> list[Problem]:
    gaps = []
    if text_key(own.title) != text_key(theirs.title):
        gaps.append(f"le titre « {own.title} » ici, « {theirs.title} » dans {name}")
    if own.kind != theirs.kind:
        gaps.append(f"le type {own.kind} ici, {theirs.kind} dans {name}")
    if not gaps:
        return []
    return [
        doubt(
            "sibling_campaign",
            f"la campagne {own.id} est aussi décrite par {name}, autrement : {' ; '.join(gaps)} ; "
            "la publication n'en garderait qu'une description",
            place="manifeste, clé campaign",
            value=own.id,
            fix=f"recopier le même campaign.title et campaign.kind que {name} si c'est la même "
            "campagne, sinon lui donner un campaign.id propre",
        )
    ]
