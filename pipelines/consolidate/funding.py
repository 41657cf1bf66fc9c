"""funding_by_region_year: per region × year × kind of campaign × funder, each figure in its own column.

Announced figures (envelope, laureates, total) keep how the publisher worded them; published lines
are counted and summed apart. A figure no source gives to one funder sits on the NC row (an
announced total whose funder the manifest names, `declared.funder`, on that funder's), so that
summing a column over the funders of a region and year never counts it twice. Renewal campaigns
have their own rows (kind), apart from calls. A year read from the context (« probable ») says so.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

KEYS = ["region_code", "year", "kind", "funder"]
FIGURES = (
    ("envelope_eur", "envelope_qualifier"),
    ("declared_awards_count", "declared_awards_qualifier"),
    ("declared_total_eur", "declared_total_qualifier"),
)
WORDED = ("minimum", "maximum", "approximate")


def combine_qualifiers(qualifiers: list[str]) -> str | None:
    """How a figure added up from several is worded: a sum of exact figures is a sum (ours, not
    announced); with a minimum in it, it is still a minimum; with a maximum, a maximum."""
    if not qualifiers:
        return None
    if len(qualifiers) == 1:
        return qualifiers[0]
    kinds = set(qualifiers) - {"exact", "sum"}
    if not kinds:
        return "sum"
    return kinds.pop() if len(kinds) == 1 else "approximate"


def present(value: Any) -> bool:
    """A figure is given: neither None nor a missing value (NaN, NA)."""
    return value is not None and not pd.isna(value)


Parts = dict[tuple, dict[str, list]]
CampaignsOf = dict[tuple, set[str]]
_NOTHING_PUBLISHED = {
    "published_lines_count": 0,
    "published_lines_with_amount_count": 0,
    "published_amount_eur": None,
}


def funding_rows(
    awards: pd.DataFrame, budgets: pd.DataFrame, campaigns: pd.DataFrame
) -> list[dict[str, Any]]:
    parts, campaigns_of = _announced(budgets, campaigns)
    published = _published(awards, campaigns, campaigns_of)
    years = year_wording(campaigns_of, campaigns)
    rows = []
    for key in sorted(campaigns_of):
        row: dict[str, Any] = dict(zip(KEYS, key))
        row["year_qualifier"] = years[key]
        row["campaigns_count"] = len(campaigns_of[key])
        for figure, qualifier in FIGURES:
            found = parts[key].get(figure, [])
            row[figure] = sum(v for v, _ in found) if found else None
            row[qualifier] = combine_qualifiers([q for _, q in found])
        row.update(published.get(key, _NOTHING_PUBLISHED))
        rows.append(row)
    return rows


def _announced(budgets: pd.DataFrame, campaigns: pd.DataFrame) -> tuple[Parts, CampaignsOf]:
    """The announced figures of the regional campaigns, per region × year × kind × funder."""
    parts: Parts = defaultdict(lambda: defaultdict(list))
    campaigns_of: CampaignsOf = defaultdict(set)

    def add(key: tuple, campaign_id: str, figure: str, value: Any, qualifier: str) -> None:
        parts[key][figure].append((float(value), qualifier))
        campaigns_of[key].add(campaign_id)

    lines = _budget_lines(budgets)
    for c in campaigns[campaigns["region_code"].notna()].itertuples(index=False):
        base = (c.region_code, int(c.year), c.kind)
        split = 0.0
        for funder, found in sorted(lines.get(c.campaign_id, {}).items()):
            amount = sum(a for a, _ in found)
            # One line keeps its wording; several are our sum (still « au moins » with a minimum).
            qualifier = combine_qualifiers([q for _, q in found]) or "exact"
            add(base + (funder,), c.campaign_id, "envelope_eur", amount, qualifier)
            split += amount
        rest = float(c.envelope_eur) - split if present(c.envelope_eur) else 0.0
        if c.envelope_qualifier != "sum" and rest > 0.005:
            add(base + ("NC",), c.campaign_id, "envelope_eur", rest, c.envelope_qualifier)
        # Announced figures whose funder the announcement names sit on that funder's row.
        declared_by = c.declared_funder if present(c.declared_funder) else "NC"
        for figure, qualifier in FIGURES[1:]:
            value = getattr(c, figure)
            if present(value):
                add(base + (declared_by,), c.campaign_id, figure, value, getattr(c, qualifier))
        if not any(c.campaign_id in ids for k, ids in campaigns_of.items() if k[:3] == base):
            # A campaign with no figure still has its row.
            campaigns_of[base + ("NC",)].add(c.campaign_id)
    return parts, campaigns_of


def _budget_lines(budgets: pd.DataFrame) -> dict[str, dict[str, list[tuple[float, str]]]]:
    """campaign → funder → its budget lines (amount, qualifier)."""
    lines: dict[str, dict[str, list[tuple[float, str]]]] = defaultdict(lambda: defaultdict(list))
    columns = ["campaign_id", "funder", "amount_eur", "qualifier"]
    for campaign_id, funder, amount, qualifier in budgets[columns].itertuples(index=False):
        lines[campaign_id][funder].append((float(amount), qualifier or "exact"))
    return lines


def worded_budgets(budgets: pd.DataFrame, envelope_wording: dict[str, str]) -> pd.DataFrame:
    """Each budget line's wording: as its source gives it; else its campaign's announced envelope's
    when worded (« a minima 370 000 € dont 100 000 € par l'ARS » words the line too); else exact.
    `envelope_wording`: campaign → how a source words its envelope (never our sum of the lines)."""
    if not len(budgets):
        return budgets
    inherited = budgets["campaign_id"].map(
        lambda c: envelope_wording.get(c) if envelope_wording.get(c) in WORDED else "exact"
    )
    given = budgets["qualifier"] if "qualifier" in budgets else pd.Series(pd.NA, budgets.index)
    return budgets.assign(qualifier=given.fillna(inherited))


def year_wording(campaigns_of: CampaignsOf, campaigns: pd.DataFrame) -> dict[tuple, str]:
    """A row's year is probable as soon as one of its campaigns' years is."""
    probable = set(campaigns.loc[campaigns["year_qualifier"] == "probable", "campaign_id"])
    return {k: "probable" if ids & probable else "exact" for k, ids in campaigns_of.items()}


def _published(
    awards: pd.DataFrame, campaigns: pd.DataFrame, campaigns_of: CampaignsOf
) -> dict[tuple, dict[str, Any]]:
    """The published lines' figures per key; their campaigns added to `campaigns_of`."""
    published: dict[tuple, dict[str, Any]] = {}
    if not len(awards):
        return published
    kinds = dict(zip(campaigns["campaign_id"], campaigns["kind"]))
    a = awards.assign(kind=awards["campaign_id"].map(kinds)).dropna(subset=KEYS)
    # Each figure for every group at once: a loop over the groups pays pandas' cost per group.
    amounts = a.groupby(KEYS, sort=True)["amount_eur"]
    lines_of = amounts.size()
    for key, lines, with_amount, amount in zip(
        lines_of.index,
        lines_of.tolist(),
        amounts.count().tolist(),
        amounts.sum(min_count=1).tolist(),
    ):
        published[(key[0], int(key[1]), key[2], key[3])] = {
            "published_lines_count": lines,
            "published_lines_with_amount_count": with_amount,
            "published_amount_eur": None if pd.isna(amount) else float(amount),
        }
    for region, year, kind, funder, campaign_id in (
        a[KEYS + ["campaign_id"]].drop_duplicates().itertuples(index=False, name=None)
    ):
        campaigns_of[(region, int(year), kind, funder)].add(campaign_id)
    return published
