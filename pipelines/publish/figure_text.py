"""The `figures` table as the dataset README writes it: what each figure measures, its value as
worded (« au moins 370 000 € », « 300 000 € (somme calculée) »), its year, the quote and the source."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.publish.wording import count, missing, worded

MEASURES = {
    "envelope": "enveloppe",
    "budget_line": "enveloppe",
    "declared_awards_count": "lauréats annoncés",
    "declared_total": "montant total annoncé",
    "award_cap": "plafond par projet",
    "regional_envelope_min": "dotation minimale de chaque appel régional",
    "laureates_count": "lauréats annoncés",
    "applicants_count": "candidatures annoncées",
    "existing_projects_count": "projets existants annoncés",
    "named_awards_count": "projets nommés dans la liste (comptés par nous)",
    "awarded_total_computed": "somme des montants publiés (calculée par nous)",
}
WORDING = {
    "exact": "exact",
    "minimum": "au moins",
    "maximum": "jusqu'à",
    "approximate": "environ",
    "sum": "somme calculée",
}
COUNTS = (
    "declared_awards_count",
    "laureates_count",
    "applicants_count",
    "existing_projects_count",
    "named_awards_count",
)


def what(f: dict[str, Any]) -> str:
    label = MEASURES[f["measure"]]
    if f["measure"] == "budget_line":
        return f"{label} {f['funder']} ({f['budget_line']})"
    if f["measure"] == "envelope" and f["qualifier"] == "sum":
        return "enveloppe (somme des lignes par financeur, calculée)"
    if f["measure"].endswith("_count") and f["measure"] != "named_awards_count":
        where = f["theme"] if not missing(f["theme"]) else None
        if where is None and not missing(f["department_code"]):
            where = f"département {f['department_code']}"
        if f["measure"] != "declared_awards_count" or where:
            return f"{label} ({where or 'toute la campagne'})"
    return label


def value_as_worded(f: dict[str, Any]) -> str:
    if f["measure"] in COUNTS:
        # A count of lines is ours, but a count: « 12 », never « 12 (somme calculée) ».
        return count(f["value"], None if f["measure"] == "named_awards_count" else f["qualifier"])
    if f["measure"] == "awarded_total_computed":
        return worded(f["value"])
    return worded(f["value"], f["qualifier"])


def readme_figures(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Each row of `figures`, worded, with its source's publisher and address, campaign by campaign."""
    sources = tables["sources"]
    provenance = {
        sid: (publisher, None if pd.isna(url) else url)
        for sid, publisher, url in zip(sources["source_id"], sources["publisher"], sources["url"])
    }
    order = {c: i for i, c in enumerate(tables["campaigns"]["campaign_id"])}
    out = []
    for f in tables["figures"].to_dict("records"):
        publisher, url = provenance.get(f["source_id"], (None, None))
        out.append(
            {
                "campaign_id": f["campaign_id"],
                "year": int(f["year"]),
                "year_qualifier": f["year_qualifier"],
                "figure": what(f),
                "value": value_as_worded(f),
                "qualifier": f"{WORDING[f['qualifier']]} (`{f['qualifier']}`)",
                "quote": None if missing(f["quote"]) else f["quote"],
                "source_id": f["source_id"],
                "publisher": publisher,
                "url": url,
            }
        )
    return sorted(out, key=lambda f: order.get(f["campaign_id"], len(order)))


def _count_of(rows: list[dict[str, Any]], key: str) -> int:
    return sum(not missing(r[key]) for r in rows)


def comparability(tables: dict[str, pd.DataFrame], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the README says before the figures by region and year, counted from the tables:
    national frames are counted once in `campaigns` and only through the regional campaigns in
    `funding_by_region_year`; envelopes, announced totals and computed sums are other measures.
    `rows` are the README's rows per region × year × kind (site.funding_rows)."""
    campaigns = tables["campaigns"]
    national = campaigns[campaigns["scope"] == "national"]
    kinds = ("envelope", "declared_total", "published_amount")
    return {
        "national": len(national),
        "national_envelope": worded(national["envelope_eur"].sum(min_count=1), empty="aucune"),
        "campaigns_envelope": worded(campaigns["envelope_eur"].sum(min_count=1), empty="aucune"),
        "funding_envelope": worded(
            tables["funding_by_region_year"]["envelope_eur"].sum(min_count=1), empty="aucune"
        ),
        "rows": len(rows),
        "with_envelope": _count_of(rows, "envelope"),
        "with_declared_total": _count_of(rows, "declared_total"),
        "with_published_amount": _count_of(rows, "published_amount"),
        "with_several": sum(sum(not missing(r[k]) for k in kinds) > 1 for r in rows),
    }


def national_line_rows(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Each national line as the README lists it, apart from the calls: its years, its amount and
    its beneficiaries as worded, and the sentence its source's manifest quotes."""
    sources = tables["sources"].set_index("source_id")
    out = []
    for line in (
        tables["national_lines"].sort_values(["programme", "year_start", "line_id"]).itertuples()
    ):
        years = str(int(line.year_start))
        if not missing(line.year_end):
            years += f"–{int(line.year_end)}"
        if line.year_qualifier == "probable":
            years += " (probable)"
        beneficiaries = "—"
        if not missing(line.beneficiaries_count):
            kind = "" if missing(line.beneficiaries_kind) else f" {line.beneficiaries_kind}"
            beneficiaries = count(line.beneficiaries_count, line.beneficiaries_qualifier) + kind
        source = sources.loc[line.source_id]
        out.append(
            {
                "line_id": line.line_id,
                "title": line.title,
                "years": years,
                "period": None if missing(line.period) else line.period,
                "amount": worded(line.amount_eur, line.amount_qualifier),
                "beneficiaries": beneficiaries,
                "quote": None if missing(source["note"]) else source["note"],
                "publisher": source["publisher"],
                "url": None if missing(source["url"]) else source["url"],
                "source_id": line.source_id,
            }
        )
    return out
