"""Every public fact of the real sources reaches the package, with its wording (built from the real raw/)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def read(published: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(
        published / "data" / f"{name}.csv",
        dtype={"region_code": "string", "department_code": "string"},
    )


def test_campaign_level_facts(published_package: Path) -> None:
    c = read(published_package, "campaigns").set_index("campaign_id")
    assert c.loc[
        "occ-2021-aap", ["region_code", "declared_awards_count", "declared_total_eur"]
    ].tolist() == ["76", 15, 270000.0]
    hdf = c.loc["hdf-2021-aap"]
    assert (hdf["year"], hdf["year_qualifier"], hdf["declared_awards_count"]) == (
        2021,
        "probable",
        9,
    )
    national = c.loc["fr-2025-2027-aap"]
    assert (national["scope"], pd.isna(national["region_code"]), national["envelope_eur"]) == (
        "national",
        True,
        2200000.0,
    )
    assert c.loc["fr-2021-cadre", "regional_envelope_min_eur"] == 100000.0
    assert c.loc[
        "nor-2020-formation", ["kind", "envelope_eur", "application_deadline"]
    ].tolist() == ["training", 50000.0, "2020-09-23"]
    reunion = c.loc["reu-2023-formation"]
    assert (reunion["region_code"], reunion["award_cap_eur"], reunion["application_deadline"]) == (
        "04",
        10000.0,
        "2023-07-05",
    )
    assert pd.isna(reunion["envelope_eur"])  # a cap per project is not an envelope
    budgets = read(published_package, "campaign_budgets")
    assert budgets[budgets["campaign_id"] == "nor-2020-formation"]["funder"].tolist() == [
        "COMMISSAIRE_PAUVRETE"
    ]


def test_counts_and_campaigns_of_the_third_search(published_package: Path) -> None:
    c = read(published_package, "campaigns").set_index("campaign_id")
    # « Près de 200 projets ont été retenus dans quinze régions »: approached, national, no amount.
    national = c.loc["fr-2021-cadre"]
    assert (national["scope"], national["declared_awards_count"]) == ("national", 200)
    assert national["declared_awards_qualifier"] == "approximate"
    assert pd.isna(national["declared_total_eur"]) and pd.isna(national["envelope_eur"])
    assert national["regional_envelope_min_eur"] == 100000.0  # the other source, still there
    # « Pour la Réunion, 4 projets ont été retenus »: a count, nothing else.
    reunion = c.loc["reu-2021-aap"]
    assert (reunion["region_code"], reunion["declared_awards_count"]) == ("04", 4)
    assert reunion["declared_awards_qualifier"] == "exact" and pd.isna(reunion["envelope_eur"])
    # Campaigns known to exist, with no figure published: listed, every figure left empty.
    known = {
        "bre-2021-aap": ("53", 2021),
        "bre-2022-aap": ("53", 2022),
        "ge-2021-aap": ("44", 2021),
        "pac-2021-aap": ("93", 2021),
        "pac-2022-aap": ("93", 2022),
        "idf-2023-sortie-maternite": ("11", 2023),
    }
    for campaign_id, (region, year) in known.items():
        row = c.loc[campaign_id]
        assert (row["region_code"], row["year"]) == (region, year), campaign_id
    figures = ["envelope_eur", "declared_awards_count", "declared_total_eur", "award_cap_eur"]
    assert c.loc[[*known, "fr-2024-ami-outre-mer"], figures].isna().all().all()
    assert c.loc["fr-2024-ami-outre-mer", "scope"] == "national"
    sources = read(published_package, "sources").set_index("source_id")
    assert "4 projets ont été retenus" in sources.loc["la-reunion/2021/laureats-annonce", "note"]
    assert "Publié le 7 octobre 2021" in sources.loc["grand-est/2021/resultats", "note"]


def test_counts_without_names_keep_their_wording(published_package: Path) -> None:
    counts = read(published_package, "campaign_counts")
    hdf = counts[(counts["campaign_id"] == "hdf-2021-aap")]
    by_dep = dict(
        zip(hdf["department_code"].dropna(), hdf.dropna(subset=["department_code"])["count"])
    )
    assert by_dep == {"59": 3, "02": 2, "62": 2, "60": 1, "80": 1}
    assert hdf[hdf["theme"].notna()]["count"].sum() == 9
    naq = counts[counts["campaign_id"] == "naq-2022-petite-enfance"].set_index("subject")
    assert naq.loc["applicants", ["count", "count_qualifier"]].tolist() == [
        100,
        "minimum",
    ]  # « Plus de 100 »
    assert naq.loc["laureates", ["department_code", "count"]].tolist() == ["64", 5]
    existing = counts[counts["subject"] == "existing_projects"]
    assert existing[["campaign_id", "count", "count_qualifier"]].to_numpy().tolist() == [
        ["fr-2025-2027-aap", 100, "approximate"]
    ]


def test_every_source_quotes_its_publisher_and_the_cog_is_named(published_package: Path) -> None:
    sources = read(published_package, "sources")
    assert sources["note"].str.contains("«").all()
    descriptor = json.loads((published_package / "datapackage.json").read_text(encoding="utf-8"))
    regions = next(r for r in descriptor["resources"] if r["name"] == "regions")
    assert "COG 2026" in regions["description"] and "insee.fr" in regions["description"]
    assert any("Code officiel géographique" in s["title"] for s in descriptor["sources"])


def test_budget_lines_keep_their_wording(published_package: Path) -> None:
    budgets = read(published_package, "campaign_budgets")
    wording = budgets.groupby("campaign_id")["qualifier"].agg(set).to_dict()
    # « mobilisent a minima 370 000 euros (100 000 euros par l'ARS …) »: each line is a minimum.
    assert wording["pdl-2022-aap"] == {"minimum"}
    assert wording["pdl-2021-aap"] == wording["nor-2020-formation"] == {"exact"}
    funding = read(published_package, "funding_by_region_year")
    pdl = funding[(funding["region_code"] == "52") & (funding["year"] == 2022)]
    assert set(pdl["envelope_qualifier"].dropna()) == {"minimum"}
    assert set(funding.loc[funding["region_code"] == "32", "year_qualifier"]) >= {"probable"}


def test_an_announced_total_of_the_state_is_one_row_with_its_named_line(
    published_package: Path,
) -> None:
    # « 38 projets … pour une subvention totale de l'État de 650.000 euros », its one named line ETAT.
    funding = read(published_package, "funding_by_region_year")
    naq = funding[(funding["region_code"] == "75") & (funding["year"] == 2022)]
    assert naq[["funder", "declared_total_eur", "published_lines_count"]].to_numpy().tolist() == [
        ["ETAT", 650000.0, 1]
    ]
    figures = read(published_package, "figures").set_index("figure_id")
    total = figures[
        (figures["campaign_id"] == "naq-2022-petite-enfance")
        & (figures["measure"] == "declared_total")
    ]
    assert total["funder"].tolist() == ["ETAT"]


def test_a_probable_year_reaches_every_table_with_a_year(published_package: Path) -> None:
    # Hauts-de-France 2021: the sources give no year; every row of theirs says so.
    for name, column in (("sources", "source_id"), ("figures", "source_id")):
        table = read(published_package, name)
        hdf = table[table[column].str.startswith("hauts-de-france/2021/")]
        assert len(hdf) and set(hdf["year_qualifier"]) == {"probable"}, name
        # The RéPAP experiment's articles give no year either (national_lines, dated 2021 probable).
        repap = table[column].str.contains("/repap-")
        # A search record (table searches) describes no campaign: no year wording.
        searched = table.get("table", pd.Series("", index=table.index)) == "searches"
        others = ~table.index.isin(hdf.index) & ~repap & ~searched
        assert set(table.loc[others, "year_qualifier"]) == {"exact"}, name
        assert set(table.loc[repap, "year_qualifier"]) <= {"probable"}, name
    awards = read(published_package, "awards")
    assert set(awards["year_qualifier"]) == {"exact"}  # no line of a probable year is named
