"""What the package covers, said from its own rows: the first campaign year, the national campaigns
by kind, a national figure with its source's own words. The README and the overview page word these
from here, so that a sentence changes when the row that says it changes."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from pipelines.publish.wording import count, missing
from schemas.vocabularies import CAMPAIGN_KIND_LABELS, CAMPAIGN_KINDS

# Each kind of campaign of the vocabulary, singular and plural.
KIND_WORDS = {
    "call": ("appel à projets", "appels à projets"),
    "renewal": ("reconduction", "reconductions"),
    "training": ("appel de formation", "appels de formation"),
    "expression_of_interest": (
        "appel à manifestation d'intérêt",
        "appels à manifestation d'intérêt",
    ),
    "frame": ("cadre national", "cadres nationaux"),
}
assert set(KIND_WORDS) == set(CAMPAIGN_KINDS), "un type de campagne sans libellé"
# The page's short labels (its tables' « Type » column).
KIND_LABELS = CAMPAIGN_KIND_LABELS
QUOTE = re.compile(r"«\s*(.+?)\s*»")


def first_year(campaigns: pd.DataFrame) -> int | None:
    """The first campaign year of the package (its campaigns table), None when it has none."""
    years = campaigns["year"].dropna()
    return int(years.min()) if len(years) else None


def description(campaigns: pd.DataFrame) -> str:
    """The package's description (datapackage.json, README, the page's lead and meta)."""
    year = first_year(campaigns)
    since = f" depuis {year}" if year is not None else ""
    return (
        "Projets financés par les appels à projets régionaux « 1000 premiers jours » (ARS, DREETS, "
        f"commissaires à la lutte contre la pauvreté){since} : campagnes, enveloppes annoncées, "
        "lauréats, montants quand ils sont publiés, et la provenance de chaque ligne."
    )


def kinds_text(kinds: pd.Series) -> str:
    """« 2 appels à projets et 1 reconduction », in the vocabulary's order of kinds."""
    parts = []
    for kind in CAMPAIGN_KINDS:
        n = int((kinds == kind).sum())
        if n:
            parts.append(f"{n} {KIND_WORDS[kind][n > 1]}")
    return " et ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def national_text(campaigns: pd.DataFrame) -> str:
    """The national campaigns counted by their kind: « 3 campagnes nationales (3 appels à projets) »;
    empty when there is none."""
    national = campaigns.loc[campaigns["scope"] == "national", "kind"]
    if national.empty:
        return ""
    n = len(national)
    noun = "campagnes nationales" if n > 1 else "campagne nationale"
    return f"{n} {noun} ({kinds_text(national)})"


def source_quote(note: Any) -> str | None:
    """The first passage a source's note quotes (« … »), None when it quotes nothing."""
    if missing(note):
        return None
    found = QUOTE.search(str(note))
    return found.group(1) if found else None


def national_figures(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Each national campaign that announces a count of laureates, worded as announced, with the
    passage its source quotes."""
    campaigns = tables["campaigns"]
    notes = dict(zip(tables["sources"]["source_id"], tables["sources"]["note"]))
    national = campaigns[
        (campaigns["scope"] == "national") & campaigns["declared_awards_count"].notna()
    ]
    return [
        {
            "campaign_id": c.campaign_id,
            "year": int(c.year),
            "count": count(c.declared_awards_count, c.declared_awards_qualifier),
            "quote": source_quote(notes.get(c.source_id)),
        }
        for c in national.sort_values(["year", "campaign_id"]).itertuples(index=False)
    ]


def scope_context(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """What the README's « Périmètre » section says, from the vocabulary and the campaigns table."""
    campaigns = tables["campaigns"]
    return {
        "kinds": [(kind, KIND_WORDS[kind][1]) for kind in CAMPAIGN_KINDS],
        "first_year": first_year(campaigns),
        "national": national_text(campaigns),
        "national_figures": national_figures(tables),
        "probable": int((campaigns["year_qualifier"] == "probable").sum()),
    }
