"""Staged sources → the canonical tables, typed by their pandera schemas.

Pure functions over `StagedSource`s: the Dagster assets call them, and so do the tests.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common import personal, sieve
from pipelines.common.geography import cog
from pipelines.common.populations import populations
from pipelines.common.problems import SourceError
from pipelines.common.text import CONTROL_RE2, strip_control
from pipelines.consolidate.beneficiaries import awards_and_beneficiaries
from pipelines.consolidate.coverage import coverage_table
from pipelines.consolidate.duplicates import FAILED, refuse_duplicate_sources
from pipelines.consolidate.envelopes import refuse_over_envelope
from pipelines.consolidate.figures import figure_rows
from pipelines.consolidate.frames import concat_rows, concat_typed, rows_by, typed
from pipelines.consolidate.funding import combine_qualifiers, funding_rows, worded_budgets
from pipelines.consolidate.integrity import failing_sources, hold_back
from pipelines.stage.staged import StagedSource
from schemas.tables import TABLES
from schemas.vocabularies import FUNDERS, SEARCH_KIND

# Each announced figure of a campaign and the column that says how it is worded.
QUALIFIED = (
    ("envelope_eur", "envelope_qualifier"),
    ("declared_awards_count", "declared_awards_qualifier"),
    ("declared_total_eur", "declared_total_qualifier"),
)


@dataclass
class Consolidated:
    tables: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)


def _population(level: str, code: str) -> dict[str, int]:
    p = populations()[(level, code)]
    return {"population": p.population, "population_year": p.year}


def reference_tables() -> dict[str, pd.DataFrame]:
    geo = cog()
    return {
        "regions": typed(
            "regions",
            [
                {"region_code": c, "region_name": n, **_population("region", c)}
                for c, n in geo.regions.items()
            ],
        ),
        "departements": typed(
            "departements",
            [
                {
                    "department_code": d.code,
                    "department_name": d.name,
                    "region_code": d.region_code,
                    **_population("departement", d.code),
                }
                for d in geo.departements.values()
            ],
        ),
        "funders": typed(
            "funders",
            [
                {"funder": f.code, "funder_name": f.name, "description": f.description}
                for f in FUNDERS
            ],
        ),
    }


# Times the sources whose rows fail a table's schema are held back before the tables are built again.
HOLD_BACK_PASSES = 3


def consolidate(staged: list[StagedSource]) -> Consolidated:
    """The canonical tables of the sources that may be published; a source whose rows would break
    a table is held back (refused, with the reason), never the whole release."""
    staged = sorted(staged, key=lambda s: s.source_id)
    warnings = refuse_campaign_conflicts(staged)
    warnings += refuse_duplicate_sources(staged)
    warnings += refuse_over_envelope(staged)
    for _ in range(HOLD_BACK_PASSES):
        try:
            return _consolidated(staged, warnings)
        except pa_errors.SchemaErrors as exc:
            failing = failing_sources(exc, staged)
            if not failing:
                raise  # nothing to hold back: the tables' own check says which table fails
            warnings += hold_back(staged, failing)
    return _consolidated(staged, warnings)


def _consolidated(staged: list[StagedSource], warnings: list[str]) -> Consolidated:
    warnings = list(warnings)
    ok = [s for s in staged if s.status not in FAILED]

    budget_rows, clashes = _first_source_wins(
        [s for s in ok if s.table == "campaign_budgets"],
        list(TABLES["campaign_budgets"].primary_key),
        warnings,
    )
    sources = typed("sources", [_recount(s.source, clashes.get(s.source_id)) for s in staged])
    budgets = typed("campaign_budgets", worded_budgets(budget_rows, _envelope_wording(ok)))
    campaigns = _campaigns(ok, budgets, warnings)
    counts = concat_rows([s.rows for s in ok if s.table == "campaign_counts"])
    if len(counts):  # a count given without wording is given as is
        counts["count_qualifier"] = counts["count_qualifier"].fillna("exact")
    counts = typed("campaign_counts", counts)
    national = _national_lines([s.rows for s in ok if s.table == "national_lines"], sources)
    awards_raw = _with_year_wording(
        concat_rows([s.rows for s in ok if s.table == "awards"]), campaigns
    )
    awards, beneficiaries, review = awards_and_beneficiaries(awards_raw, warnings)
    funding = _funding(awards, budgets, campaigns)
    rejected = concat_typed("rejected_rows", [s.rejects for s in staged] + list(clashes.values()))

    tables = {
        **reference_tables(),
        "sources": sources,
        "campaigns": campaigns,
        "campaign_budgets": budgets,
        "campaign_counts": counts,
        "national_lines": national,
        "beneficiaries": beneficiaries,
        "beneficiary_review": review,
        "awards": awards,
        "funding_by_region_year": funding,
        "rejected_rows": rejected,
    }
    searches = concat_rows([s.rows for s in ok if s.table == SEARCH_KIND])
    tables["coverage"] = coverage_table(tables, searches)
    tables["figures"] = typed("figures", figure_rows(tables))
    tables = {name: tables[name] for name in TABLES}
    warnings += clean_text(tables)
    return Consolidated(tables, warnings)


def _first_source_wins(
    sources: list[StagedSource], key: list[str], warnings: list[str]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Rows of several sources sharing one key: the first source (in source order) keeps it.

    The later source's rows are rejected with the reason, as rows of its own (in rejected_rows,
    and in its counts), so one announcement repeated by two publishers never stops the release.
    """
    kept: list[pd.DataFrame] = []
    clashes: dict[str, pd.DataFrame] = {}
    owner: dict[tuple[Any, ...], str] = {}
    for s in sources:
        if s.rows.empty:
            continue
        keys = [tuple(k) for k in s.rows[key].itertuples(index=False)]
        taken = [k in owner for k in keys]
        if any(taken):
            lines = s.rows[taken]
            clashes[s.source_id] = pd.DataFrame(
                {
                    "source_id": s.source_id,
                    "source_row": lines["source_row"].to_numpy(),
                    "place": None,
                    "column": None,
                    "value": [" / ".join(map(str, k)) for k, t in zip(keys, taken) if t],
                    "reason": [
                        f"déjà annoncé par la source {owner[k]}" for k, t in zip(keys, taken) if t
                    ],
                    "fix": "ne garder cette ligne que dans une source, ou préciser la ligne budgétaire",
                }
            )
            warnings.append(
                f"{s.source_id} : {int(sum(taken))} ligne(s) déjà publiée(s) par une autre source"
            )
        kept.append(s.rows[[not t for t in taken]])
        for k in keys:
            owner.setdefault(k, s.source_id)
    return concat_rows(kept), clashes


def refuse_campaign_conflicts(staged: list[StagedSource]) -> list[str]:
    """A campaign id belongs to one region and one year: a later source (in source order) giving it
    another is refused whole, so no campaign row sits in one region and its awards in another.
    One warning per source refused."""
    owner: dict[str, tuple[str, int, str]] = {}
    refused: list[str] = []
    for s in sorted(staged, key=lambda s: s.source_id):
        if s.status in FAILED:
            continue
        # A list over several years has a campaign per year: any of them taken elsewhere refuses it.
        clash = [
            (c, owner[c["campaign_id"]])
            for c in s.published_campaigns
            if c["campaign_id"] in owner
            and owner[c["campaign_id"]][:2] != (c["region_code"], c["year"])
        ]
        if not clash:
            for c in s.published_campaigns:
                owner.setdefault(c["campaign_id"], (c["region_code"], c["year"], s.source_id))
            continue
        c, first = clash[0]
        manifest = str(PurePosixPath(s.source["path"]).with_suffix(".yaml"))
        error = SourceError(
            manifest,
            f"la campagne {c['campaign_id']} est celle de la région {first[0]}, "
            f"année {first[1]} (source {first[2]}), pas de la région {c['region_code']}, "
            f"année {c['year']}",
            place="clé campaign.id",
            status="refused",
            fix="donner à cette campagne son propre identifiant (ex. région-année-aap), ou "
            "corriger region et year",
        )
        s.error = error
        s.source = {**s.source, "status": "refused", "message": error.describe()}
        refused.append(f"{s.source_id} : {error.message}")
    return refused


def clean_text(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The last guard before publication: no control character and no personal data in the text
    publishers wrote (`Table.publisher_text`); identifiers and coded values are never touched.

    Sources holding personal data are refused when staged and their text is cleaned there with a
    warning naming the row; this catches what reaches the tables by another way (a rejected value,
    a manifest's title)."""
    warnings = []
    for name, frame in tables.items():
        for column in TABLES[name].publisher_text:
            if column not in frame.columns:
                continue
            values = frame[column]
            array = pa.array(values, type=pa.large_string(), from_pandas=True)
            if (
                column == "url"
            ):  # every URL published anywhere (sources, README, index.html) is http(s)
                web = pc.fill_null(pc.match_substring_regex(array, r"^https?://[^\s<>\"']+$"), True)
                if not pc.all(web).as_py():
                    frame[column] = values.where(web.to_numpy(zero_copy_only=False), None)
                    warnings.append(f"{name}.url : adresse non web (ni http ni https) retirée")
                    values = frame[column]
                    array = pa.array(values, type=pa.large_string(), from_pandas=True)
            control = pc.fill_null(pc.match_substring_regex(array, CONTROL_RE2), False).to_numpy(
                zero_copy_only=False
            )
            sieved = sieve.candidates(array).to_numpy(zero_copy_only=False)
            if not (control.any() or sieved.any()):
                continue
            cleaned = values.copy()
            changed = 0
            for i in np.flatnonzero(control | sieved):
                before = values.iloc[i]
                after = personal.scrub(strip_control(before))
                if after != before:
                    cleaned.iloc[i] = after
                    changed += 1
            if changed:
                frame[column] = cleaned
                warnings.append(
                    f"{name}.{column} : {changed} cellule(s) nettoyée(s) avant publication "
                    "(caractères de contrôle ou données personnelles masquées)"
                )
    return warnings


def reject_cross_source_clashes(staged: list[StagedSource]) -> None:
    """What the publication will reject across sources, applied to the staged sources themselves.

    `mille-jours validate` on a folder then reports a budget line two sources both announce,
    as the publication would, and a list given twice.
    """
    refuse_campaign_conflicts(staged)
    refuse_duplicate_sources(staged)
    refuse_over_envelope(staged)
    ok = sorted(
        (s for s in staged if s.status not in FAILED and s.table == "campaign_budgets"),
        key=lambda s: s.source_id,
    )
    _, clashes = _first_source_wins(ok, list(TABLES["campaign_budgets"].primary_key), [])
    for s in staged:
        lines = clashes.get(s.source_id)
        if lines is None:
            continue
        s.source = _recount(s.source, lines)
        s.rows = s.rows[~s.rows["source_row"].isin(set(lines["source_row"]))].reset_index(drop=True)
        s.rejects = pd.concat(
            [s.rejects, lines.astype(s.rejects.dtypes.to_dict())], ignore_index=True
        )


def _recount(source: dict[str, Any], clashes: pd.DataFrame | None) -> dict[str, Any]:
    if clashes is None or clashes.empty:
        return source
    rows = int(clashes["source_row"].nunique())
    return {
        **source,
        "rows_accepted": source["rows_accepted"] - rows,
        "rows_rejected": source["rows_rejected"] + rows,
        "status": "rejected_rows",
    }


def _campaigns(ok: list[StagedSource], budgets: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    # A campaign may be described by several sources: the one that feeds `campaigns` speaks first,
    # then the others in source order; a figure two sources give differently is reported.
    by_id: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for s in sorted(ok, key=lambda s: (s.table != "campaigns", s.source_id)):
        for campaign in s.published_campaigns:
            by_id[campaign["campaign_id"]].append((s.source_id, campaign))
    envelopes = (
        budgets.groupby("campaign_id")["amount_eur"].sum()
        if len(budgets)
        else pd.Series(dtype="Float64")
    )
    lines_of = rows_by(budgets)

    def wording_of(campaign_id: str) -> list[str]:
        return lines_of(campaign_id)["qualifier"].fillna("exact").tolist()

    rows = []
    for campaign_id, described in by_id.items():
        row: dict[str, Any] = {}
        for source_id, campaign in described:
            for key, value in campaign.items():
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                if key not in row:
                    row[key] = value
                elif key not in ("source_id", "title") and row[key] != value:
                    warnings.append(
                        f"campagne {campaign_id} : {key} vaut {row[key]!r} selon {row['source_id']} "
                        f"mais {value!r} selon {source_id} (la première valeur est gardée)"
                    )
        if row.get("envelope_eur") is None and campaign_id in envelopes.index:
            # No source announces the campaign's whole envelope: the sum of its funders' lines,
            # said to be ours (a sum is never presented as announced).
            row["envelope_eur"] = float(envelopes[campaign_id])
            row["envelope_qualifier"] = combine_qualifiers(wording_of(campaign_id))
        for figure, qualifier in QUALIFIED:
            has_figure = row.get(figure) is not None and not pd.isna(row.get(figure))
            row[qualifier] = (row.get(qualifier) or "exact") if has_figure else None
        rows.append(row)
    return typed("campaigns", rows)


def _with_year_wording(awards: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    """Each line with its campaign's year wording (« probable » when read from the context)."""
    if not len(awards):
        return awards
    wording = dict(zip(campaigns["campaign_id"], campaigns["year_qualifier"]))
    return awards.assign(year_qualifier=awards["campaign_id"].map(wording).fillna("exact"))


def _national_lines(rows: list[pd.DataFrame], sources: pd.DataFrame) -> pd.DataFrame:
    """National lines, apart from the campaigns: the year worded as their source's, a figure given
    without wording given as is."""
    lines = concat_rows(rows)
    if len(lines):
        wording = dict(zip(sources["source_id"], sources["year_qualifier"]))
        lines["year_qualifier"] = lines["source_id"].map(wording).fillna("exact")
        lines["amount_qualifier"] = lines["amount_qualifier"].fillna("exact")
        counted = lines["beneficiaries_count"].notna()
        lines["beneficiaries_qualifier"] = lines["beneficiaries_qualifier"].where(
            ~counted, lines["beneficiaries_qualifier"].fillna("exact")
        )
    return typed("national_lines", lines)


def _envelope_wording(ok: list[StagedSource]) -> dict[str, str]:
    """How the sources word each campaign's announced envelope, in the order `_campaigns` reads them."""
    wording: dict[str, str] = {}
    for s in sorted(ok, key=lambda s: (s.table != "campaigns", s.source_id)):
        for c in s.published_campaigns:
            if c.get("envelope_eur") is not None and c.get("envelope_qualifier"):
                wording.setdefault(c["campaign_id"], c["envelope_qualifier"])
    return wording


def _funding(awards: pd.DataFrame, budgets: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    """Per region × year × kind × funder, every figure in its own column (pipelines.consolidate.funding)."""
    return typed("funding_by_region_year", funding_rows(awards, budgets, campaigns))
