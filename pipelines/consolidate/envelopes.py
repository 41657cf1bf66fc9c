"""A campaign's lines across its sources against its announced envelope. Two lists of one campaign
(one per département, a list and its complement) may each stay under the envelope and add up over
it: the campaign's figures then contradict each other, and none of its sources is published until
a manifest of the campaign confirms `above_envelope` (the doubt a single list over its envelope
raises). Checked by the publication and by `mille-jours validate` on a folder.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from pipelines.common.problems import SourceError
from pipelines.common.text import french_euros
from pipelines.stage.staged import StagedSource

FAILED = ("unreadable", "bad_manifest", "refused")


def refuse_over_envelope(staged: list[StagedSource]) -> list[str]:
    """Refuse every source of a campaign whose lines, across two sources or more, add up over the
    campaign's exact envelope; one warning per source refused."""
    by_campaign: dict[str, list[StagedSource]] = {}
    for s in sorted(staged, key=lambda s: s.source_id):
        if s.status in FAILED or s.table != "awards" or s.rows.empty:
            continue
        for campaign in sorted({str(c) for c in s.rows["campaign_id"].dropna()}):
            by_campaign.setdefault(campaign, []).append(s)
    warnings: list[str] = []
    for campaign, sources in by_campaign.items():
        envelope = _exact_envelope(sources, campaign)
        if len(sources) < 2 or envelope is None:
            continue
        total = sum(_total(s, campaign) for s in sources)
        if total <= envelope + 0.005 or any("above_envelope" in s.confirmed for s in sources):
            continue
        warnings += [_refuse(s, sources, campaign, total, envelope) for s in sources]
    return warnings


def _exact_envelope(sources: list[StagedSource], campaign: str) -> float | None:
    """The campaign's envelope when announced as a ceiling or a figure (« au moins » is none)."""
    for s in sources:
        for c in s.published_campaigns:
            if c.get("campaign_id") == campaign and c.get("envelope_eur") is not None:
                return None if c.get("envelope_qualifier") == "minimum" else c["envelope_eur"]
    return None


def _total(s: StagedSource, campaign: str) -> float:
    rows = s.rows
    return float(rows.loc[rows["campaign_id"] == campaign, "amount_eur"].sum())


def _refuse(
    s: StagedSource, sources: list[StagedSource], campaign: str, total: float, envelope: float
) -> str:
    others = ", ".join(PurePosixPath(str(o.source["path"])).name for o in sources if o is not s)
    error = SourceError(
        s.source["path"],
        f"les lignes de la campagne {campaign} dans {len(sources)} sources (celle-ci et {others}) "
        f"font {french_euros(total, 2)}, plus que son enveloppe annoncée "
        f"({french_euros(envelope)}, campaign.envelope_eur) : une liste en double, un montant "
        "mal lu ou une enveloppe à corriger ; aucune de ces sources n'est publiée",
        place="clé campaign.envelope_eur",
        status="refused",
        fix="vérifier les montants des listes et l'enveloppe (et envelope_qualifier) ; si la "
        "somme est juste, ajouter « above_envelope » sous confirmed: dans un des manifestes",
    )
    s.error = error
    s.source = {**s.source, "status": "refused", "message": error.describe()}
    return f"{s.source_id} : {error.message}"
