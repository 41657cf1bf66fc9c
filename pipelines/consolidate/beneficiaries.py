"""Beneficiaries across regions and years: one id per organisation, so renewals link up.

Matched on SIRET, then RNA, then region and normalized name; pairs that may be one organisation
but were not merged are listed for review, never merged silently. A SIRET carried by differently
named organisations of two regions is not merged under the latest name: each keeps its own, and
the pair is listed.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipelines.common.text import text_key
from pipelines.consolidate.frames import typed

_LEGAL_NOISE = re.compile(r"\([^)]*\)")
_STOP = {"l", "la", "le", "les", "de", "des", "du", "d", "et", "a", "au", "aux"}


def name_key(name: str) -> str:
    """A beneficiary name reduced to what identifies it: no accents, case, articles or parentheses."""
    words = text_key(_LEGAL_NOISE.sub(" ", name)).split()
    return " ".join(w for w in words if w not in _STOP)


def digest(*parts: object, size: int = 10) -> str:
    return hashlib.sha256(
        "\x1f".join("" if p is None or p is pd.NA else str(p) for p in parts).encode()
    ).hexdigest()[:size]


_AWARD_COLUMNS = (
    "campaign_id",
    "region_code",
    "beneficiary_name",
    "beneficiary_siret",
    "beneficiary_rna",
    "project_title",
    "department_code",
    "funder",
)


def awards_and_beneficiaries(
    awards: pd.DataFrame, warnings: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    if awards.empty:
        return typed("awards", []), typed("beneficiaries", []), typed("beneficiary_review", [])
    awards = awards.sort_values(["source_id", "source_row", "funder"], kind="stable").reset_index(
        drop=True
    )
    # Columns as plain lists, each name reduced once: a national table has thousands of lines.
    column = {c: awards[c].tolist() for c in _AWARD_COLUMNS}
    name_keys = {n: name_key(n) for n in set(column["beneficiary_name"])}
    names = [name_keys[n] for n in column["beneficiary_name"]]
    awards["_key"] = _match_keys(column, names)
    awards["beneficiary_id"] = ["b-" + digest(k) for k in awards["_key"]]
    awards["award_id"] = _award_ids(column, names)
    grouped = _beneficiary_rows(awards, name_keys)
    review = _review(grouped)
    for r in review:
        warnings.append(
            f"bénéficiaires à vérifier : {r['beneficiary_id']} / {r['candidate_id']} ({r['reason']})"
        )
    beneficiaries = [{k: v for k, v in g.items() if not k.startswith("_")} for g in grouped]
    return (
        typed("awards", awards.drop(columns="_key")),
        typed("beneficiaries", beneficiaries),
        typed("beneficiary_review", review),
    )


def _award_ids(column: dict[str, list], names: list[str]) -> list[str]:
    """Stable across re-publications and row reordering: what the line is, not where it sits."""
    base_ids = [
        f"{campaign}-{digest(name, text_key(title or ''), department, funder, size=8)}"
        for campaign, name, title, department, funder in zip(
            column["campaign_id"],
            names,
            column["project_title"],
            column["department_code"],
            column["funder"],
        )
    ]
    seen: dict[str, int] = defaultdict(int)
    ids = []
    for base in base_ids:
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def _beneficiary_rows(awards: pd.DataFrame, name_keys: dict[str, str]) -> list[dict[str, Any]]:
    """One row per beneficiary, computed column-wise (a loop over groups costs per group, not per row)."""
    latest = (
        awards.sort_values(["year", "source_id", "source_row"], kind="stable")
        .drop_duplicates("_key", keep="last")
        .set_index("_key")
    )
    by_key = awards.groupby("_key", sort=True)
    stats = pd.DataFrame(
        {
            "awards_count": by_key.size(),
            "first_year": by_key["year"].min(),
            "last_year": by_key["year"].max(),
            "sirets": by_key["beneficiary_siret"].nunique(),
            "siret": by_key["beneficiary_siret"].first(),
            "rnas": by_key["beneficiary_rna"].nunique(),
            "rna": by_key["beneficiary_rna"].first(),
        }
    )
    latest_name = latest["beneficiary_name"].to_dict()
    latest_region = latest["region_code"].to_dict()
    grouped = []
    for key, row in zip(stats.index, stats.itertuples(index=False)):
        name = latest_name[key]
        grouped.append(
            {
                "beneficiary_id": "b-" + digest(key),
                "beneficiary_name": name,
                "beneficiary_siret": row.siret if row.sirets == 1 else None,
                "beneficiary_rna": row.rna if row.rnas == 1 else None,
                "match_key": key,
                "awards_count": int(row.awards_count),
                "first_year": int(row.first_year),
                "last_year": int(row.last_year),
                "_region": latest_region[key],
                "_name": name_keys[name],
            }
        )
    return grouped


REVIEW_SIMILARITY = 0.85
# Pairs listed per beneficiary at most, and names scored per block of rows (bounds the score matrix).
MAX_CANDIDATES = 5
BLOCK_ROWS = 1000
# A region of more names is not scored pair by pair: each name is scored against its NEIGHBOURS
# next names in alphabetical order, and in the order of the names read backwards.
WHOLE_REGION_NAMES = 2000
NEIGHBOURS = 100


def _siret_keys(lines: list[tuple[Any, str, Any, Any]]) -> dict[tuple[str, str], str]:
    """(SIRET, region) → match key: one per SIRET, except a SIRET that differently named
    organisations of several regions carry (a typo in one list, a head office's number): one per
    region, each kept under its own name, and the pair listed by `_review`."""
    names: dict[str, set[str]] = defaultdict(set)
    regions: dict[str, set[str]] = defaultdict(set)
    for region, name, siret, _ in lines:
        if isinstance(siret, str):
            names[siret].add(name)
            regions[siret].add(region)
    return {
        (siret, region): f"siret:{siret}:{region}"
        if len(names[siret]) > 1 and len(regions[siret]) > 1
        else f"siret:{siret}"
        for siret in names
        for region in regions[siret]
    }


def _match_keys(column: dict[str, list[Any]], names: list[str]) -> list[str]:
    """siret:… when known, else rna:…, else the region and the normalized name (`names`).

    Within a region, a name seen once with a SIRET (or RNA) links its other lines to it, so a
    renewal published without identifier joins the award that had one. A name carried by two
    identifiers is not linked to either: `_review` lists it.
    """
    lines = list(
        zip(column["region_code"], names, column["beneficiary_siret"], column["beneficiary_rna"])
    )
    siret_keys = _siret_keys(lines)
    ids_by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    for region, name, siret, rna in lines:
        if isinstance(siret, str):
            ids_by_name[(region, name)].add(siret_keys[(siret, region)])
        elif isinstance(rna, str):
            ids_by_name[(region, name)].add(f"rna:{rna}")
    keys = []
    for region, name, siret, rna in lines:
        if isinstance(siret, str):
            keys.append(siret_keys[(siret, region)])
        elif isinstance(rna, str):
            keys.append(f"rna:{rna}")
        elif len(ids_by_name.get((region, name), ())) == 1:
            keys.append(next(iter(ids_by_name[(region, name)])))
        else:
            keys.append(f"name:{region}:{name}")
    return keys


def _review(grouped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pairs that may be one organisation but were not merged: never merged silently, listed instead.

    The same name under two keys anywhere, and close names within one region: each region's names
    are scored against each other by RapidFuzz (in C, a block of rows at a time, so memory stays
    bounded), and each beneficiary keeps only its closest candidates.
    """
    pairs: dict[tuple[str, str], dict[str, Any]] = {}

    def add(a: dict[str, Any], b: dict[str, Any], reason: str, similarity: float) -> None:
        first, second = sorted((a["beneficiary_id"], b["beneficiary_id"]))
        pairs.setdefault(
            (first, second),
            {
                "beneficiary_id": first,
                "candidate_id": second,
                "reason": reason,
                "similarity": round(similarity, 3),
            },
        )

    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_siret: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in grouped:
        by_name[g["_name"]].append(g)
        by_region[g["_region"]].append(g)
        if isinstance(g["beneficiary_siret"], str):
            by_siret[g["beneficiary_siret"]].append(g)
    for siret, same in by_siret.items():
        for i, a in enumerate(same):
            for b in same[i + 1 :]:
                reason = (
                    f"même SIRET {siret} sous deux noms dans deux régions : "
                    f"« {a['beneficiary_name']} » ({a['_region']}) et "
                    f"« {b['beneficiary_name']} » ({b['_region']})"
                )
                add(a, b, reason, fuzz.ratio(a["_name"], b["_name"]) / 100)
    for same in by_name.values():
        for i, a in enumerate(same):
            for b in same[i + 1 :]:
                add(
                    a,
                    b,
                    "même nom dans deux régions"
                    if a["_region"] != b["_region"]
                    else "même nom, identifiants (SIRET/RNA) différents",
                    1.0,
                )
    close: list[tuple[float, dict[str, Any], dict[str, Any]]] = []
    for members in by_region.values():
        close += _close_names(members)
    # Ranked, closest first; a beneficiary with many look-alikes shows only its closest ones.
    shown: dict[str, int] = defaultdict(int)
    for similarity, a, b in sorted(
        close, key=lambda c: (-c[0], c[1]["beneficiary_id"], c[2]["beneficiary_id"])
    ):
        if (
            shown[a["beneficiary_id"]] < MAX_CANDIDATES
            and shown[b["beneficiary_id"]] < MAX_CANDIDATES
        ):
            shown[a["beneficiary_id"]] += 1
            shown[b["beneficiary_id"]] += 1
            add(a, b, "noms proches dans la même région", similarity)
    return [pairs[k] for k in sorted(pairs)]


Close = tuple[float, dict[str, Any], dict[str, Any]]


def _close_names(members: list[dict[str, Any]]) -> list[Close]:
    """Pairs of different names of one region at least REVIEW_SIMILARITY alike (normalized Indel).

    Up to WHOLE_REGION_NAMES names, every pair is scored; beyond, the pairs are blocked by sorted
    neighbourhood (a look-alike differs from its name by a few letters, so it sorts near it one
    way or the other), which keeps the cost linear in the region's size.
    """
    names = [m["_name"] for m in members]
    if len(names) <= WHOLE_REGION_NAMES:
        return _scored(members, names, list(range(len(names))), len(names), keep=None)
    found: dict[tuple[str, ...], Close] = {}
    for order in (
        sorted(range(len(names)), key=lambda i: names[i]),
        sorted(range(len(names)), key=lambda i: names[i][::-1]),
    ):
        for c in _scored(members, names, order, NEIGHBOURS, keep=MAX_CANDIDATES):
            found.setdefault(tuple(sorted((c[1]["beneficiary_id"], c[2]["beneficiary_id"]))), c)
    return list(found.values())


def _scored(
    members: list[dict[str, Any]], names: list[str], order: list[int], reach: int, keep: int | None
) -> list[Close]:
    """Each name of `order` scored against the names after it, at least `reach` of them (all of
    them when `reach` is the length); only its `keep` best pairs when `keep` is given."""
    block = min(BLOCK_ROWS, reach)
    found = []
    for start in range(0, len(order), block):
        rows, cols = order[start : start + block], order[start : start + block + reach]
        scores = process.cdist(
            [names[i] for i in rows],
            [names[j] for j in cols],
            scorer=fuzz.ratio,
            score_cutoff=REVIEW_SIMILARITY * 100,
            dtype=np.float32,
            workers=1,
        )
        scores = np.triu(scores, k=1)  # each pair once: a name and those after it in `order`
        if keep is not None and scores.shape[1] > keep:
            weaker = np.argpartition(-scores, keep, axis=1)[:, keep:]
            np.put_along_axis(scores, weaker, 0, axis=1)
        for r, c in zip(*np.nonzero(scores)):
            i, j = rows[r], cols[c]
            if names[i] != names[j]:
                found.append((float(scores[r, c]) / 100, members[i], members[j]))
    return found
