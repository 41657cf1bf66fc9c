"""One meaning per figure, the same everywhere: the table, the dataset README and the overview page.

Built from a copy of the real raw/; each figure is read back from the three published files.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pandas as pd

from pipelines.publish.wording import count, worded

KINDS = {"call": "appel à projets", "renewal": "reconduction", "training": "formation"}


def plain(text: str) -> str:
    return " ".join(re.sub(r"[\u00a0\u202f]", " ", text).split())


def _combine(qualifiers: pd.Series) -> str | None:
    from pipelines.consolidate.funding import combine_qualifiers

    return combine_qualifiers(qualifiers.dropna().tolist())


def table_figures(published: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    """funding_by_region_year as a researcher reads it: the CSV, summed over funders."""
    funding = pd.read_csv(
        published / "data" / "funding_by_region_year.csv", dtype={"region_code": "string"}
    )
    regions = pd.read_csv(published / "data" / "regions.csv", dtype="string").set_index(
        "region_code"
    )["region_name"]
    out = {}
    for (code, year, kind), f in funding.groupby(["region_code", "year", "kind"]):

        def total(column: str, f: pd.DataFrame = f) -> float | None:
            return f[column].sum() if f[column].notna().any() else None

        out[(regions[code], str(year), KINDS[kind])] = {
            "envelope": plain(
                worded(
                    total("envelope_eur"), _combine(f["envelope_qualifier"]), empty="non publiée"
                )
            ),
            "declared_count": plain(
                count(total("declared_awards_count"), _combine(f["declared_awards_qualifier"]))
            ),
            "declared_total": plain(
                worded(total("declared_total_eur"), _combine(f["declared_total_qualifier"]))
            ),
            "lines": str(int(f["published_lines_count"].sum())),
            "published_amount": plain(worded(total("published_amount_eur"), empty="non publiés")),
            "year_qualifier": "probable" if (f["year_qualifier"] == "probable").any() else "exact",
        }
    return out


def page_figures(published: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    tree = lxml.html.fromstring((published / "index.html").read_text(encoding="utf-8"))
    out = {}
    for tr in tree.xpath("//section[@id='montants']//table/tbody/tr"):
        cells = [plain(c.text_content()) for c in tr.xpath("./th|./td")]
        figure = {
            td.get("data-figure"): plain(td.text_content()) for td in tr.xpath("./td[@data-figure]")
        }
        figure["lines"] = figure["lines"].split(" / ")[1]
        out[(cells[0], cells[1], cells[2])] = figure
    return out


def readme_figures(published: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    text = (published / "README.md").read_text(encoding="utf-8")
    section = text.split("## Chiffres par région, année et type de campagne", 1)[1].split(
        "\n## ", 1
    )[0]
    out = {}
    for line in section.splitlines():
        cells = [plain(c) for c in line.strip().strip("|").split("|")]
        year_wording = cells[1].removesuffix(" (probable)") if len(cells) == 8 else ""
        if not year_wording.isdigit():
            continue
        region, year, kind, envelope, declared_count, declared_total, lines, published_amount = (
            cells
        )
        # The README writes a dash where the page agrees « non publié » with what is missing.
        absent = lambda v, word="non publié": word if v == "—" else v  # noqa: E731
        out[(region, year_wording, kind)] = {
            "year_qualifier": "probable" if year != year_wording else "exact",
            "envelope": absent(envelope, "non publiée"),
            "declared_count": absent(declared_count),
            "declared_total": absent(declared_total),
            "lines": lines,
            "published_amount": absent(published_amount, "non publiés"),
        }
    return out


def test_table_readme_and_page_give_the_same_figures(published_package: Path) -> None:
    table, page, readme = (
        f(published_package) for f in (table_figures, page_figures, readme_figures)
    )
    assert table and set(table) == set(page) == set(readme)
    for key in table:
        assert table[key] == readme[key], key
        assert {k: v for k, v in table[key].items() if k != "year_qualifier"} == page[key], key


def test_a_probable_year_is_said_wherever_the_year_is(published_package: Path) -> None:
    # Hauts-de-France 2021: the sources give no year, the manifests read it from the context.
    table, readme = table_figures(published_package), readme_figures(published_package)
    key = ("Hauts-de-France", "2021", "appel à projets")
    assert table[key]["year_qualifier"] == readme[key]["year_qualifier"] == "probable"
    assert sum(f["year_qualifier"] == "probable" for f in table.values()) == 1


def test_every_campaign_with_a_figure_is_in_the_table(published_package: Path) -> None:
    table = table_figures(published_package)
    cvl = table[("Centre-Val de Loire", "2022", "appel à projets")]
    assert (cvl["declared_count"], cvl["declared_total"]) == ("25", "563 200 €")
    renewal = table[("Centre-Val de Loire", "2023", "reconduction")]
    assert (renewal["declared_count"], renewal["declared_total"]) == ("20", "507 363 €")


def test_announced_wording_is_kept_and_a_sum_is_never_announced(published_package: Path) -> None:
    campaigns = pd.read_csv(published_package / "data" / "campaigns.csv").set_index("campaign_id")
    assert campaigns.loc["pdl-2022-aap", ["envelope_eur", "envelope_qualifier"]].tolist() == [
        370000.0,
        "minimum",
    ]
    # Pays de la Loire 2021: three funders' envelopes, no announced total: the total is ours.
    assert campaigns.loc["pdl-2021-aap", ["envelope_eur", "envelope_qualifier"]].tolist() == [
        300000.0,
        "sum",
    ]
    table = table_figures(published_package)
    assert (
        table[("Pays de la Loire", "2022", "appel à projets")]["envelope"] == "au moins 370 000 €"
    )
    assert (
        table[("Pays de la Loire", "2021", "appel à projets")]["envelope"]
        == "300 000 € (somme calculée)"
    )
    readme = (published_package / "README.md").read_text(encoding="utf-8")
    assert "| enveloppe annoncée | 300 000 €" not in plain(readme).replace("\n", " ")


def test_renewals_are_counted_apart_from_calls_in_the_headline(published_package: Path) -> None:
    tree = lxml.html.fromstring((published_package / "index.html").read_text(encoding="utf-8"))
    calls = plain(tree.get_element_by_id("en-bref-call").text_content())
    renewals = plain(tree.get_element_by_id("en-bref-renewal").text_content())
    campaigns = pd.read_csv(published_package / "data" / "campaigns.csv")
    in_calls = campaigns[(campaigns["kind"] == "call") & (campaigns["scope"] == "regional")]
    assert calls.startswith(
        f"{int(in_calls['declared_awards_count'].sum())} lauréats annoncés par les appels"
    )
    assert renewals.startswith("20 lauréats annoncés par les campagnes de reconduction")


def test_each_figure_of_the_readme_is_a_row_of_the_figures_table(published_package: Path) -> None:
    figures = pd.read_csv(published_package / "data" / "figures.csv", dtype="string")
    text = (published_package / "README.md").read_text(encoding="utf-8")
    section = text.split("## D'où vient chaque chiffre", 1)[1].split("\n## ", 1)[0]
    lines = [
        [plain(c).replace("\\", "") for c in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]
    assert len(lines) == len(figures) > 0
    readme = sorted((c[0].strip("`"), c[1], c[4].split("(`")[1].rstrip("`)"), c[5]) for c in lines)
    table = sorted(
        (
            f.campaign_id,
            f"{f.year} (probable)" if f.year_qualifier == "probable" else f.year,
            f.qualifier,
            "—" if pd.isna(f.quote) else plain(f.quote),
        )
        for f in figures.itertuples()
    )
    assert readme == table
    # « a minima 370 000 euros (100 000 euros par l'ARS …) »: the line is worded as the envelope.
    pdl = [c for c in lines if c[0] == "`pdl-2022-aap`" and c[2].startswith("enveloppe ARS")]
    assert [c[3] for c in pdl] == ["au moins 100 000 €"]


def test_the_readme_says_what_cannot_be_added_counted_from_the_tables(
    published_package: Path,
) -> None:
    text = plain((published_package / "README.md").read_text(encoding="utf-8"))
    campaigns = pd.read_csv(published_package / "data" / "campaigns.csv")
    funding = pd.read_csv(published_package / "data" / "funding_by_region_year.csv")
    national = campaigns[campaigns["scope"] == "national"]
    said = re.search(
        r"dans `campaigns` seulement \((\d+) campagnes? nationales? \(.*?\), sans région : (.+?) "
        r"d'enveloppe\).*?: (.+?) d'enveloppes dans `campaigns`, (.+?) dans "
        r"`funding_by_region_year`\. Sur les (\d+) lignes ci-dessous, (\d+) portent une enveloppe "
        r"annoncée, (\d+) un montant total annoncé et (\d+) une somme de lignes publiées",
        text,
    )
    assert said, "la phrase sur ce qui ne s'additionne pas manque"
    groups = funding.groupby(["region_code", "year", "kind"])
    assert said.groups() == (
        str(len(national)),
        plain(worded(national["envelope_eur"].sum())),
        plain(worded(campaigns["envelope_eur"].sum())),
        plain(worded(funding["envelope_eur"].sum())),
        str(groups.ngroups),
        str(int(groups["envelope_eur"].count().gt(0).sum())),
        str(int(groups["declared_total_eur"].count().gt(0).sum())),
        str(int(groups["published_amount_eur"].count().gt(0).sum())),
    )
    # The national envelope is in campaigns and not in the table by region.
    assert campaigns["envelope_eur"].sum() > funding["envelope_eur"].sum()


def test_the_page_says_it_too(published_package: Path) -> None:
    tree = lxml.html.fromstring((published_package / "index.html").read_text(encoding="utf-8"))
    said = plain(tree.get_element_by_id("non-additionnables").text_content())
    readme = plain((published_package / "README.md").read_text(encoding="utf-8"))
    counts = re.search(
        r"Sur les (\d+) lignes ci-dessous, (\d+) portent .*?, (\d+) un .*? et (\d+) une", readme
    )
    assert counts
    rows, envelopes, totals, sums = counts.groups()
    assert f"Sur les {rows} lignes du tableau, {envelopes} portent une enveloppe annoncée, " in said
    assert f"{totals} un montant total annoncé et {sums} une somme de lignes publiées" in said
    assert (
        "Les campagnes nationales sont dans campaigns, sans région, et pas dans ce tableau" in said
    )
    assert "cadres nationaux" not in said
