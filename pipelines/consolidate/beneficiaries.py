"""Beneficiaries across regions and years: one id per organisation, so renewals link up.

Matched on SIRET, then RNA, then region and normalized name; pairs that may be one organisation
but were not merged are listed for review, never merged silently (`lookalikes`). A SIRET carried by differently
named organisations of two regions is not merged under the latest name: each keeps its own, and
the pair is listed.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Any

import pandas as pd

from pipelines.common.text import text_key
from pipelines.consolidate import lookalikes
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
    review = lookalikes.review(grouped, warnings)
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


def _siret_keys(lines: list[tuple[Any, str, Any, Any]]) -> dict[tuple[str, str], str]:
    """(SIRET, region) → match key: one per SIRET, except a SIRET that differently named
    organisations of several regions carry (a typo in one list, a head office's number): one per
    region, each kept under its own name, and the pair listed by `lookalikes.review`."""
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
    identifiers is not linked to either: `lookalikes.review` lists it.
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
