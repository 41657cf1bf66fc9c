"""Staged sources → the canonical tables, typed by their pandera schemas.

Pure functions over `StagedSource`s: the Dagster assets call them, and so do the tests.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
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

    sources = typed("sources", [s.source for s in staged])
    budgets = _concat("campaign_budgets", [s.rows for s in ok if s.table == "campaign_budgets"])
    campaigns = _campaigns(ok, budgets, warnings)
    awards_raw = _concat_raw([s.rows for s in ok if s.table == "awards"])
    awards, beneficiaries = _awards_and_beneficiaries(awards_raw, warnings)
    funding = _funding(awards, budgets, campaigns)
    rejected = _concat("rejected_rows", [s.rejects for s in staged])

    tables = {**reference_tables(), "sources": sources, "campaigns": campaigns, "campaign_budgets": budgets,
              "beneficiaries": beneficiaries, "awards": awards, "funding_by_region_year": funding,
              "rejected_rows": rejected}
    return Consolidated({name: tables[name] for name in TABLES}, warnings)


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


def _awards_and_beneficiaries(awards: pd.DataFrame, warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    if awards.empty:
        return typed("awards", []), typed("beneficiaries", [])
    awards = awards.sort_values(["source_id", "source_row", "funder"], kind="stable").reset_index(drop=True)
    keys = _match_keys(awards, warnings)
    awards["beneficiary_id"] = ["b-" + _digest(k) for k in keys]

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
    awards["_key"] = keys
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
        })
    return typed("awards", awards.drop(columns="_key")), typed("beneficiaries", grouped)


def _match_keys(awards: pd.DataFrame, warnings: list[str]) -> list[str]:
    """siret:… when known, else rna:…, else name:…; a name shared by two SIRETs is not merged."""
    sirets_by_name: dict[str, set[str]] = defaultdict(set)
    for r in awards.itertuples():
        if isinstance(r.beneficiary_siret, str):
            sirets_by_name[name_key(r.beneficiary_name)].add(r.beneficiary_siret)
    keys = []
    for r in awards.itertuples():
        name = name_key(r.beneficiary_name)
        if isinstance(r.beneficiary_siret, str):
            keys.append(f"siret:{r.beneficiary_siret}")
        elif isinstance(r.beneficiary_rna, str):
            keys.append(f"rna:{r.beneficiary_rna}")
        elif len(sirets_by_name.get(name, ())) == 1:
            keys.append(f"siret:{next(iter(sirets_by_name[name]))}")
        else:
            if len(sirets_by_name.get(name, ())) > 1:
                warnings.append(f"bénéficiaire ambigu « {r.beneficiary_name} » ({r.source_id}, ligne {r.source_row}) : "
                                f"ce nom porte plusieurs SIRET, la ligne n'est rattachée à aucun")
            keys.append(f"name:{name}")
    return keys


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
        merged[column] = merged.get(column, pd.Series(dtype="Int64")).fillna(0)
    return typed("funding_by_region_year", merged)
