"""The `coverage` table: every region of the COG × every campaign year, from 2020 to the year of the
release, said collected (and how fully), searched with nothing public found, or not searched.

The last year is the release's own (its `created` date is the latest `retrieved` of its sources,
pipelines/publish/package.py), so the same inputs always give the same table."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from pipelines.consolidate.frames import project_counts, rows_by, typed
from schemas.fields import YEAR_MIN

# The strongest knowledge of a cell wins (schemas/vocabularies.py COVERAGE_KNOWLEDGE, in order).
RANK = {"full": 0, "partial": 1, "totals": 2, "envelope": 3, "campaign": 4}
# A release with no dated source: the year package.py gives its `created` date then.
DEFAULT_LAST_YEAR = 2021


def last_year(sources: pd.DataFrame, campaigns: pd.DataFrame) -> int:
    """The year of the release's `created` date; a later campaign year too, never a cell dropped."""
    dates = sources["retrieved"].dropna()
    years = [int(str(max(dates))[:4])] if len(dates) else [DEFAULT_LAST_YEAR]
    if len(campaigns):
        years.append(int(campaigns["year"].max()))
    return max(years)


def coverage_table(tables: dict[str, pd.DataFrame], searches: pd.DataFrame) -> pd.DataFrame:
    """One row per region × year; `searches` holds the searched cells (SEARCH_COLUMNS)."""
    campaigns = tables["campaigns"]
    regional = campaigns[campaigns["region_code"].notna()]
    knowledge = campaign_knowledge(tables)
    by_cell: dict[tuple[str, int], list[str]] = defaultdict(list)
    for campaign_id, region, year in regional[["campaign_id", "region_code", "year"]].itertuples(
        index=False
    ):
        by_cell[(str(region), int(year))].append(str(campaign_id))
    searched = _searched(searches)
    rows = []
    end = last_year(tables["sources"], campaigns)
    for region, name in tables["regions"][["region_code", "region_name"]].itertuples(index=False):
        for year in range(YEAR_MIN, end + 1):
            ids = sorted(by_cell.get((region, year), []))
            search = searched.get((region, year), {})
            status = "collected" if ids else "searched_nothing_found" if search else "not_searched"
            rows.append(
                {
                    "region_code": region,
                    "region_name": name,
                    "year": year,
                    "status": status,
                    "knowledge": min((knowledge[c] for c in ids), key=RANK.__getitem__)
                    if ids
                    else None,
                    "campaign_ids": " ; ".join(ids) or None,
                    **search,
                }
            )
    return typed("coverage", rows)


def campaign_knowledge(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """What is published of each campaign (national ones too): the whole list of its laureates, a
    part of it, announced totals, an envelope, or nothing but the campaign. A list is whole only
    when it names every laureate announced, or makes up the announced total to the cent."""
    awards = tables["awards"]
    awards_of, projects_of = rows_by(awards), project_counts(awards)
    counted = set(tables["campaign_counts"]["campaign_id"].astype(str))
    budgeted = set(tables["campaign_budgets"]["campaign_id"].astype(str))
    out = {}
    for c in tables["campaigns"].itertuples(index=False):
        cid = str(c.campaign_id)
        projects = projects_of.get(cid, 0)
        declared, total = c.declared_awards_count, c.declared_total_eur
        if projects:
            lines = awards_of(c.campaign_id)["amount_eur"]
            whole = (_given(declared) and projects >= int(declared)) or (
                not _given(declared)
                and _given(total)
                and bool(lines.notna().all())
                and abs(float(lines.sum()) - float(total)) < 0.005
            )
            out[cid] = "full" if whole else "partial"
        elif cid in counted or _given(declared) or _given(total):
            out[cid] = "totals"
        elif cid in budgeted or _given(c.envelope_eur):
            out[cid] = "envelope"
        else:
            out[cid] = "campaign"
    return out


def _given(value: Any) -> bool:
    return value is not None and not pd.isna(value)


def _searched(searches: pd.DataFrame) -> dict[tuple[str, int], dict[str, Any]]:
    """Per cell: the latest search's date, every place looked at, every record that says so."""
    cells: dict[tuple[str, int], dict[str, Any]] = {}
    if searches.empty:
        return cells
    ordered = searches.sort_values(["searched_on", "source_id"], kind="stable")
    for (region, year), group in ordered.groupby(["region_code", "year"], sort=True):
        cells[(str(region), int(year))] = {
            "searched_on": str(group["searched_on"].iloc[-1]),
            "searched_where": " ; ".join(dict.fromkeys(group["searched_where"].astype(str))),
            "search_source_ids": " ; ".join(dict.fromkeys(group["source_id"].astype(str))),
        }
    return cells
