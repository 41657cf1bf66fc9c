"""Staged sources → the canonical tables, typed by their pandera schemas.

Pure functions over `StagedSource`s: the Dagster assets call them, and so do the tests.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import pandas as pd

from pipelines.geo import cog
from pipelines.ingest import StagedSource
from pipelines.text import text_key
from schemas.tables import TABLES
from schemas.to_pandera import schema_for
from schemas.vocabularies import FUNDERS

FAILED = ("unreadable", "bad_manifest")


@dataclass
class Consolidated:
    tables: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)


def typed(name: str, rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Rows in the table's columns and dtypes, sorted by its key, validated by its pandera schema."""
    table = TABLES[name]
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=table.columns)
    frame = frame.reindex(columns=table.columns)
    frame = frame.astype({f.name: f.pandas_dtype for f in table.fields})
    order = list(table.primary_key) or [c for c in ("source_id", "source_row", "column") if c in frame]
    frame = frame.sort_values(order, kind="stable", na_position="first").reset_index(drop=True)
    return schema_for(name).validate(frame, lazy=True)


def project_count(awards: pd.DataFrame) -> int:
    """Projects, not award lines: a co-funded project is one line of its file and one award line per funder."""
    return int(awards[["source_id", "source_row"]].drop_duplicates().shape[0])


def reference_tables() -> dict[str, pd.DataFrame]:
    geo = cog()
    return {
        "regions": typed("regions", [{"region_code": c, "region_name": n} for c, n in geo.regions.items()]),
        "departements": typed("departements", [
            {"department_code": d.code, "department_name": d.name, "region_code": d.region_code}
            for d in geo.departements.values()]),
        "funders": typed("funders", [{"funder": f.code, "funder_name": f.name, "description": f.description}
                                     for f in FUNDERS]),
    }


def consolidate(staged: list[StagedSource]) -> Consolidated:
    staged = sorted(staged, key=lambda s: s.source_id)
    ok = [s for s in staged if s.status not in FAILED]
    warnings: list[str] = []

    budget_rows, clashes = _first_source_wins([s for s in ok if s.table == "campaign_budgets"],
                                              list(TABLES["campaign_budgets"].primary_key), warnings)
    sources = typed("sources", [_recount(s.source, clashes.get(s.source_id)) for s in staged])
    budgets = typed("campaign_budgets", budget_rows)
    campaigns = _campaigns(ok, budgets, warnings)
    awards_raw = _concat_raw([s.rows for s in ok if s.table == "awards"])
    awards, beneficiaries, review = _awards_and_beneficiaries(awards_raw, warnings)
    funding = _funding(awards, budgets, campaigns)
    rejected = _concat("rejected_rows", [s.rejects for s in staged] + list(clashes.values()))

    tables = {**reference_tables(), "sources": sources, "campaigns": campaigns, "campaign_budgets": budgets,
              "beneficiaries": beneficiaries, "beneficiary_review": review, "awards": awards, "funding_by_region_year": funding,
              "rejected_rows": rejected}
    return Consolidated({name: tables[name] for name in TABLES}, warnings)


def _first_source_wins(sources: list[StagedSource], key: list[str], warnings: list[str]
                       ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Rows of several sources sharing one key: the first source (in source order) keeps it.

    The later source's rows are rejected with the reason, as rows of its own (in rejected_rows,
    and in its counts), so one announcement repeated by two publishers never stops the release.
    """
    kept, clashes, owner = [], {}, {}
    for s in sources:
        if s.rows.empty:
            continue
        keys = [tuple(k) for k in s.rows[key].itertuples(index=False)]
        taken = [k in owner for k in keys]
        if any(taken):
            lines = s.rows[taken]
            clashes[s.source_id] = pd.DataFrame({
                "source_id": s.source_id, "source_row": lines["source_row"].to_numpy(), "place": None,
                "column": None, "value": [" / ".join(map(str, k)) for k, t in zip(keys, taken) if t],
                "reason": [f"déjà annoncé par la source {owner[k]}" for k, t in zip(keys, taken) if t],
                "fix": "ne garder cette ligne que dans une source, ou préciser la ligne budgétaire"})
            warnings.append(f"{s.source_id} : {int(sum(taken))} ligne(s) déjà publiée(s) par une autre source")
        kept.append(s.rows[[not t for t in taken]])
        for k in keys:
            owner.setdefault(k, s.source_id)
    return _concat_raw(kept), clashes


def reject_cross_source_clashes(staged: list[StagedSource]) -> None:
    """What the publication will reject across sources, applied to the staged sources themselves.

    `mille-jours validate` on a folder then reports a budget line two sources both announce,
    as the publication would.
    """
    ok = sorted((s for s in staged if s.status not in FAILED and s.table == "campaign_budgets"),
                key=lambda s: s.source_id)
    _, clashes = _first_source_wins(ok, list(TABLES["campaign_budgets"].primary_key), [])
    for s in staged:
        lines = clashes.get(s.source_id)
        if lines is None:
            continue
        s.source = _recount(s.source, lines)
        s.rows = s.rows[~s.rows["source_row"].isin(set(lines["source_row"]))].reset_index(drop=True)
        s.rejects = pd.concat([s.rejects, lines.astype(s.rejects.dtypes.to_dict())], ignore_index=True)


def _recount(source: dict[str, Any], clashes: pd.DataFrame | None) -> dict[str, Any]:
    if clashes is None or clashes.empty:
        return source
    rows = int(clashes["source_row"].nunique())
    return {**source, "rows_accepted": source["rows_accepted"] - rows,
            "rows_rejected": source["rows_rejected"] + rows, "status": "rejected_rows"}


def _concat_raw(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _concat(name: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    return typed(name, _concat_raw(frames))


def _campaigns(ok: list[StagedSource], budgets: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    # A campaign may be described by several sources: the one that feeds `campaigns` speaks first,
    # then the others in source order; a figure two sources give differently is reported.
    by_id: dict[str, list[StagedSource]] = defaultdict(list)
    for s in sorted(ok, key=lambda s: (s.table != "campaigns", s.source_id)):
        if s.campaign:
            by_id[s.campaign["campaign_id"]].append(s)
    envelopes = budgets.groupby("campaign_id")["amount_eur"].sum() if len(budgets) else pd.Series(dtype="Float64")
    rows = []
    for campaign_id, sources in by_id.items():
        row: dict[str, Any] = {}
        for s in sources:
            for key, value in s.campaign.items():
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                if key not in row:
                    row[key] = value
                elif key not in ("source_id", "title") and row[key] != value:
                    warnings.append(f"campagne {campaign_id} : {key} vaut {row[key]!r} selon {row['source_id']} "
                                    f"mais {value!r} selon {s.source_id} (la première valeur est gardée)")
        if row.get("envelope_eur") is None and campaign_id in envelopes.index:
            row["envelope_eur"] = float(envelopes[campaign_id])
        rows.append(row)
    return typed("campaigns", rows)


_LEGAL_NOISE = re.compile(r"\([^)]*\)")
_STOP = {"l", "la", "le", "les", "de", "des", "du", "d", "et", "a", "au", "aux"}


def name_key(name: str) -> str:
    """A beneficiary name reduced to what identifies it: no accents, case, articles or parentheses."""
    words = text_key(_LEGAL_NOISE.sub(" ", name)).split()
    return " ".join(w for w in words if w not in _STOP)


def _digest(*parts: object, size: int = 10) -> str:
    return hashlib.sha256("\x1f".join("" if p is None or p is pd.NA else str(p) for p in parts).encode()).hexdigest()[:size]


def _awards_and_beneficiaries(awards: pd.DataFrame, warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    if awards.empty:
        return typed("awards", []), typed("beneficiaries", []), typed("beneficiary_review", [])
    awards = awards.sort_values(["source_id", "source_row", "funder"], kind="stable").reset_index(drop=True)
    awards["_key"] = _match_keys(awards)
    awards["beneficiary_id"] = ["b-" + _digest(k) for k in awards["_key"]]

    # Stable across re-publications and row reordering: what the line is, not where it sits.
    base_ids = [
        f"{r.campaign_id}-{_digest(name_key(r.beneficiary_name), text_key(r.project_title or ''), r.department_code, r.funder, size=8)}"
        for r in awards.itertuples()
    ]
    seen: dict[str, int] = defaultdict(int)
    ids = []
    for base in base_ids:
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    awards["award_id"] = ids

    grouped = []
    for key, group in awards.groupby("_key", sort=True):
        latest = group.sort_values(["year", "source_id", "source_row"]).iloc[-1]
        sirets = group["beneficiary_siret"].dropna().unique()
        rnas = group["beneficiary_rna"].dropna().unique()
        grouped.append({
            "beneficiary_id": "b-" + _digest(key),
            "beneficiary_name": latest["beneficiary_name"],
            "beneficiary_siret": sirets[0] if len(sirets) == 1 else None,
            "beneficiary_rna": rnas[0] if len(rnas) == 1 else None,
            "match_key": key,
            "awards_count": len(group),
            "first_year": int(group["year"].min()),
            "last_year": int(group["year"].max()),
            "_region": latest["region_code"],
            "_name": name_key(latest["beneficiary_name"]),
        })
    review = _review(grouped)
    for r in review:
        warnings.append(f"bénéficiaires à vérifier : {r['beneficiary_id']} / {r['candidate_id']} ({r['reason']})")
    beneficiaries = [{k: v for k, v in g.items() if not k.startswith("_")} for g in grouped]
    return (typed("awards", awards.drop(columns="_key")), typed("beneficiaries", beneficiaries),
            typed("beneficiary_review", review))


REVIEW_SIMILARITY = 0.85


def _match_keys(awards: pd.DataFrame) -> list[str]:
    """siret:… when known, else rna:…, else the region and the normalized name.

    Within a region, a name seen once with a SIRET (or RNA) links its other lines to it, so a
    renewal published without identifier joins the award that had one. A name carried by two
    identifiers is not linked to either: `_review` lists it.
    """
    ids_by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in awards.itertuples():
        if isinstance(r.beneficiary_siret, str):
            ids_by_name[(r.region_code, name_key(r.beneficiary_name))].add(f"siret:{r.beneficiary_siret}")
        elif isinstance(r.beneficiary_rna, str):
            ids_by_name[(r.region_code, name_key(r.beneficiary_name))].add(f"rna:{r.beneficiary_rna}")
    keys = []
    for r in awards.itertuples():
        name = (r.region_code, name_key(r.beneficiary_name))
        if isinstance(r.beneficiary_siret, str):
            keys.append(f"siret:{r.beneficiary_siret}")
        elif isinstance(r.beneficiary_rna, str):
            keys.append(f"rna:{r.beneficiary_rna}")
        elif len(ids_by_name.get(name, ())) == 1:
            keys.append(next(iter(ids_by_name[name])))
        else:
            keys.append(f"name:{name[0]}:{name[1]}")
    return keys


def _review(grouped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pairs that may be one organisation but were not merged: never merged silently, listed instead.

    The same name under two keys anywhere, and close names within one region (compared region by
    region, so the cost grows with the largest region, not with the whole country).
    """
    pairs: dict[tuple[str, str], dict[str, Any]] = {}

    def add(a: dict[str, Any], b: dict[str, Any], reason: str, similarity: float) -> None:
        first, second = sorted((a["beneficiary_id"], b["beneficiary_id"]))
        pairs.setdefault((first, second), {"beneficiary_id": first, "candidate_id": second, "reason": reason,
                                           "similarity": round(similarity, 3)})

    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in grouped:
        by_name[g["_name"]].append(g)
        by_region[g["_region"]].append(g)
    for same in by_name.values():
        for i, a in enumerate(same):
            for b in same[i + 1:]:
                add(a, b, "même nom dans deux régions" if a["_region"] != b["_region"]
                    else "même nom, identifiants (SIRET/RNA) différents", 1.0)
    for members in by_region.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a["_name"] == b["_name"]:
                    continue
                matcher = SequenceMatcher(None, a["_name"], b["_name"])
                if matcher.real_quick_ratio() >= REVIEW_SIMILARITY and matcher.quick_ratio() >= REVIEW_SIMILARITY:
                    similarity = matcher.ratio()
                    if similarity >= REVIEW_SIMILARITY:
                        add(a, b, "noms proches dans la même région", similarity)
    return [pairs[k] for k in sorted(pairs)]


def _funding(awards: pd.DataFrame, budgets: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    keys = ["region_code", "year", "funder"]
    spent = awards.groupby(keys, dropna=False).agg(
        awards_count=("award_id", "size"),
        awards_with_amount_count=("amount_eur", "count"),
        amount_eur=("amount_eur", lambda s: s.sum(min_count=1)),
    ).reset_index() if len(awards) else pd.DataFrame(columns=keys)
    if len(budgets):
        b = budgets.merge(campaigns[["campaign_id", "region_code", "year"]], on="campaign_id", how="left")
        announced = b.groupby(keys).agg(envelope_eur=("amount_eur", "sum")).reset_index()
    else:
        announced = pd.DataFrame(columns=keys + ["envelope_eur"])
    merged = spent.merge(announced, on=keys, how="outer")
    for column in ("awards_count", "awards_with_amount_count"):
        merged[column] = merged[column].fillna(0) if column in merged else 0
    return typed("funding_by_region_year", merged)
