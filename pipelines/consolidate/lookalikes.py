"""Beneficiaries that may be one organisation but were not merged: listed for review, never merged.

The same name under two keys anywhere, one SIRET under two names in two regions, and close names
within one region. What a list of near-identical names would make grow without end is capped: a
name carried by too many beneficiaries, a name with too many look-alikes, too many pairs in all.
The names over a cap are left out of the review (never paired at random) and a warning says how
many, so nothing is lost silently.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

REVIEW_SIMILARITY = 0.85
# Pairs listed per beneficiary at most, and names scored per block of rows (bounds the score matrix).
MAX_CANDIDATES = 5
BLOCK_ROWS = 1000
# A region of more names is not scored pair by pair: each name is scored against its NEIGHBOURS
# next names in alphabetical order, and in the order of the names read backwards.
WHOLE_REGION_NAMES = 2000
NEIGHBOURS = 100
# The caps. A real organisation has a handful of look-alikes in its region (its branches, a typo);
# dozens of them, or one name carried by dozens of beneficiaries, is a generated or repeated list,
# where the closest pairs say nothing and their number grows with the square of the names.
MAX_LOOKALIKES = 50
MAX_SAME_NAME = 20
MAX_REVIEW_PAIRS = 100_000
# Names quoted in a cap's warning.
QUOTED = 3

Member = dict[str, Any]
Close = tuple[float, Member, Member]


class _Listed:
    """The review's rows by pair, MAX_REVIEW_PAIRS at most; how many more were left out."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}
        self.left = 0

    def add(self, a: Member, b: Member, reason: str, similarity: float) -> None:
        first, second = sorted((a["beneficiary_id"], b["beneficiary_id"]))
        if (first, second) in self.rows:
            return
        if len(self.rows) >= MAX_REVIEW_PAIRS:
            self.left += 1
            return
        self.rows[(first, second)] = {
            "beneficiary_id": first,
            "candidate_id": second,
            "reason": reason,
            "similarity": round(similarity, 3),
        }


def review(grouped: list[Member], warnings: list[str]) -> list[dict[str, Any]]:
    """The pairs to review, one row each, sorted; a warning for each cap reached."""
    listed = _Listed()
    add = listed.add
    by_name, by_region, by_siret = _groups(grouped)
    for siret, same in by_siret.items():
        for a, b in _each_pair(same):
            reason = (
                f"même SIRET {siret} sous deux noms dans deux régions : "
                f"« {a['beneficiary_name']} » ({a['_region']}) et "
                f"« {b['beneficiary_name']} » ({b['_region']})"
            )
            add(a, b, reason, fuzz.ratio(a["_name"], b["_name"]) / 100)
    crowded_names = {n: same for n, same in by_name.items() if len(same) > MAX_SAME_NAME}
    if crowded_names:
        warnings.append(_same_name_warning(crowded_names))
    for name, same in by_name.items():
        if name in crowded_names:
            continue
        for a, b in _each_pair(same):
            add(
                a,
                b,
                "même nom dans deux régions"
                if a["_region"] != b["_region"]
                else "même nom, identifiants (SIRET/RNA) différents",
                1.0,
            )
    close: list[Close] = []
    for region, members in by_region.items():
        found, crowded = _close_names(members)
        close += found
        if crowded:
            warnings.append(_lookalikes_warning(region, crowded))
    for a, b, similarity in _closest(close):
        add(a, b, "noms proches dans la même région", similarity)
    if listed.left:
        warnings.append(
            f"bénéficiaires non rapprochés : {listed.left} paire(s) à vérifier au-delà des "
            f"{MAX_REVIEW_PAIRS} listées dans beneficiary_review (mêmes SIRET, mêmes noms, puis les "
            "noms les plus proches d'abord), non listées ; à faire : chercher dans les sources "
            "la liste de noms presque identiques"
        )
    return [listed.rows[k] for k in sorted(listed.rows)]


def _groups(grouped: list[Member]) -> tuple[dict[str, list[Member]], ...]:
    """The beneficiaries by normalized name, by region and by SIRET."""
    by_name: dict[str, list[Member]] = defaultdict(list)
    by_region: dict[str, list[Member]] = defaultdict(list)
    by_siret: dict[str, list[Member]] = defaultdict(list)
    for g in grouped:
        by_name[g["_name"]].append(g)
        by_region[g["_region"]].append(g)
        if isinstance(g["beneficiary_siret"], str):
            by_siret[g["beneficiary_siret"]].append(g)
    return by_name, by_region, by_siret


def _each_pair(same: list[Member]):
    for i, a in enumerate(same):
        for b in same[i + 1 :]:
            yield a, b


def _closest(close: list[Close]) -> list[tuple[Member, Member, float]]:
    """Ranked, closest first; a beneficiary with many look-alikes shows only its closest ones."""
    shown: dict[str, int] = defaultdict(int)
    kept = []
    for similarity, a, b in sorted(
        close, key=lambda c: (-c[0], c[1]["beneficiary_id"], c[2]["beneficiary_id"])
    ):
        if (
            shown[a["beneficiary_id"]] < MAX_CANDIDATES
            and shown[b["beneficiary_id"]] < MAX_CANDIDATES
        ):
            shown[a["beneficiary_id"]] += 1
            shown[b["beneficiary_id"]] += 1
            kept.append((a, b, similarity))
    return kept


def _quoted(members: list[Member]) -> str:
    names = sorted({m["beneficiary_name"] for m in members})
    more = ", …" if len(names) > QUOTED else ""
    return ", ".join(f"« {n} »" for n in names[:QUOTED]) + more


def _same_name_warning(crowded: dict[str, list[Member]]) -> str:
    count = sum(len(same) for same in crowded.values())
    return (
        f"bénéficiaires non rapprochés : {len(crowded)} nom(s) portés chacun par plus de "
        f"{MAX_SAME_NAME} bénéficiaires ({count} bénéficiaires en tout, "
        f"{_quoted([m for same in crowded.values() for m in same])}), paires non listées dans "
        "beneficiary_review ; à faire : vérifier dans les sources ces lignes au même nom et aux "
        "identifiants (SIRET/RNA) différents"
    )


def _lookalikes_warning(region: str, crowded: list[Member]) -> str:
    return (
        f"bénéficiaires non rapprochés : {len(crowded)} nom(s) de la région {region} ont chacun "
        f"plus de {MAX_LOOKALIKES} noms proches ({_quoted(crowded)}) : laissés hors de "
        "beneficiary_review plutôt qu'appariés au hasard ; à faire : vérifier dans les sources "
        "cette liste de noms presque identiques"
    )


def _close_names(members: list[Member]) -> tuple[list[Close], list[Member]]:
    """Pairs of different names of one region at least REVIEW_SIMILARITY alike (normalized Indel),
    and the members left out for having more than MAX_LOOKALIKES look-alikes.

    Up to WHOLE_REGION_NAMES names, every pair is scored; beyond, the pairs are blocked by sorted
    neighbourhood (a look-alike differs from its name by a few letters, so it sorts near it one
    way or the other), which keeps the cost linear in the region's size.
    """
    names = [m["_name"] for m in members]
    codes = np.unique(np.array(names, dtype=object), return_inverse=True)[1]
    passes: list[tuple[list[int], int, int | None]]
    if len(names) <= WHOLE_REGION_NAMES:
        passes = [(list(range(len(names))), len(names), None)]
    else:
        passes = [
            (sorted(range(len(names)), key=lambda i: names[i]), NEIGHBOURS, MAX_CANDIDATES),
            (sorted(range(len(names)), key=lambda i: names[i][::-1]), NEIGHBOURS, MAX_CANDIDATES),
        ]
    lookalikes = np.zeros(len(names), dtype=np.int64)
    scored = []
    for order, reach, keep in passes:
        firsts, seconds, similarities, counts = _scored(names, codes, order, reach, keep)
        lookalikes = np.maximum(lookalikes, counts)
        scored.append((firsts, seconds, similarities))
    crowded = lookalikes > MAX_LOOKALIKES
    found: dict[tuple[int, int], Close] = {}
    for firsts, seconds, similarities in scored:
        clear = ~(crowded[firsts] | crowded[seconds])
        for i, j, s in zip(
            firsts[clear].tolist(), seconds[clear].tolist(), similarities[clear].tolist()
        ):
            found.setdefault((min(i, j), max(i, j)), (s / 100, members[i], members[j]))
    return list(found.values()), [members[i] for i in np.flatnonzero(crowded)]


def _scored(
    names: list[str], codes: np.ndarray, order: list[int], reach: int, keep: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each name of `order` scored against the names after it, at least `reach` of them (all of
    them when `reach` is the length); only its `keep` best pairs when `keep` is given.

    The pairs as arrays (first, second, similarity), and for each name how many different names
    were found close to it (before `keep`): arrays, not tuples, as a list of near-identical names
    finds a pair for nearly every pair it scores.
    """
    block = min(BLOCK_ROWS, reach)
    positions = np.asarray(order, dtype=np.int64)
    counts = np.zeros(len(names), dtype=np.int64)
    firsts, seconds, similarities = [], [], []
    for start in range(0, len(positions), block):
        rows, cols = positions[start : start + block], positions[start : start + block + reach]
        scores = process.cdist(
            [names[i] for i in rows],
            [names[j] for j in cols],
            scorer=fuzz.ratio,
            score_cutoff=REVIEW_SIMILARITY * 100,
            dtype=np.float32,
            workers=1,
        )
        scores = np.triu(scores, k=1)  # each pair once: a name and those after it in `order`
        different = codes[rows][:, None] != codes[cols][None, :]
        close = (scores > 0) & different
        counts[rows] += close.sum(axis=1)
        counts[cols] += close.sum(axis=0)
        if keep is not None and scores.shape[1] > keep:
            weaker = np.argpartition(-scores, keep, axis=1)[:, keep:]
            np.put_along_axis(scores, weaker, 0, axis=1)
        r, c = np.nonzero(scores * different)
        firsts.append(rows[r])
        seconds.append(cols[c])
        similarities.append(scores[r, c])
    if not firsts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32), counts
    return np.concatenate(firsts), np.concatenate(seconds), np.concatenate(similarities), counts
