"""The same list twice: two sources of one campaign whose lines are mostly the same laureates for
the same amounts (a list dropped as CSV and as PDF, a list and its press release). Published both,
the campaign's totals would double without a word.

The smaller of the two (the one mostly held by the other; the later in source order when alike) is
refused, naming both files, unless either manifest confirms `duplicate_source`. Checked by the
publication and by `mille-jours validate` on a folder, like a campaign id claimed twice.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from pathlib import PurePosixPath

from pipelines.common.problems import SourceError
from pipelines.common.text import french_number
from pipelines.consolidate.beneficiaries import name_key
from pipelines.stage.staged import StagedSource

# Statuses of a source that publishes nothing.
FAILED = ("unreadable", "bad_manifest", "refused")
# Shared lines over this share of the smaller source's lines: the same list, not a few renewals.
SAME_LIST_SHARE = 0.5
Line = tuple[str, float]


def _lines_by_campaign(s: StagedSource) -> dict[str, Counter[Line]]:
    """Each campaign's award lines as (beneficiary's name reduced, amount): what makes a laureate."""
    rows = s.rows
    if s.table != "awards" or rows.empty:
        return {}
    given = rows[rows["amount_eur"].notna()]
    names = [name_key(str(n)) for n in given["beneficiary_name"]]
    amounts = [round(float(a), 2) for a in given["amount_eur"]]
    out: dict[str, Counter[Line]] = {}
    for campaign, name, amount in zip(given["campaign_id"], names, amounts):
        out.setdefault(str(campaign), Counter())[(name, amount)] += 1
    return out


def refuse_duplicate_sources(staged: list[StagedSource]) -> list[str]:
    """Refuse the smaller of two sources of one campaign sharing most of their lines; one warning
    per source refused."""
    live = sorted((s for s in staged if s.status not in FAILED), key=lambda s: s.source_id)
    lines = {s.source_id: _lines_by_campaign(s) for s in live}
    refused: list[str] = []
    for a, b in combinations(live, 2):
        if b.status in FAILED or a.status in FAILED:
            continue
        for campaign in sorted(set(lines[a.source_id]) & set(lines[b.source_id])):
            ours, theirs = lines[a.source_id][campaign], lines[b.source_id][campaign]
            shared = sum((ours & theirs).values())
            smaller = min(ours.total(), theirs.total())
            if shared <= SAME_LIST_SHARE * smaller:
                continue
            copy, kept = (a, b) if ours.total() < theirs.total() else (b, a)
            if "duplicate_source" in (*copy.confirmed, *kept.confirmed):
                continue
            refused.append(_refuse(copy, kept, campaign, shared, lines))
            break
    return refused


def _file(s: StagedSource) -> str:
    return PurePosixPath(str(s.source["path"])).name


def _refuse(
    copy: StagedSource,
    kept: StagedSource,
    campaign: str,
    shared: int,
    lines: dict[str, dict[str, Counter[Line]]],
) -> str:
    mine = lines[copy.source_id][campaign].total()
    error = SourceError(
        copy.source["path"],
        f"{french_number(shared)} de ses {french_number(mine)} lignes de la campagne {campaign} "
        f"(même bénéficiaire, même montant) sont aussi dans {kept.source['path']} : la même liste "
        f"publiée deux fois doublerait les totaux de la campagne ; {_file(copy)} n'est pas publié",
        place="clé campaign.id",
        status="refused",
        fix=f"retirer {_file(copy)} (ou {_file(kept)}) de raw/ si c'est la même liste ; si ce sont "
        "bien des lauréats distincts (un second financeur aux mêmes montants), ajouter "
        "« duplicate_source » sous confirmed: dans son manifeste",
    )
    copy.error = error
    copy.source = {**copy.source, "status": "refused", "message": error.describe()}
    return f"{copy.source_id} : {error.message}"
