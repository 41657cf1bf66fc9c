"""The page's and the package's sentences about what it covers, each from the rows that say it:
the first year from the campaigns table, the national campaigns counted by their kind."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from pipelines.publish.scope import description, national_figures, national_text


def campaigns(*rows: tuple[str, str, int]) -> pd.DataFrame:
    """A fictitious campaigns table: (scope, kind, year) per campaign."""
    return pd.DataFrame(
        [
            {"campaign_id": f"fictif-{i}", "scope": s, "kind": k, "year": y}
            for i, (s, k, y) in enumerate(rows)
        ],
        columns=["campaign_id", "scope", "kind", "year"],
    )


def page_text(folder: Path) -> str:
    page = html.unescape((folder / "index.html").read_text(encoding="utf-8"))
    return re.sub(r"[\u00a0\u202f]", " ", page)


@pytest.mark.parametrize(
    ("years", "since"), [((2021, 2022), "depuis 2021"), ((2022, 2020, 2021), "depuis 2020")]
)
def test_the_description_starts_at_the_first_campaign_year(
    years: tuple[int, ...], since: str
) -> None:
    text = description(campaigns(*(("regional", "call", y) for y in years)))
    assert since in text
    assert len(re.findall(r"depuis \d{4}", text)) == 1


def test_a_package_without_campaigns_claims_no_first_year() -> None:
    assert "depuis" not in description(campaigns())


def test_the_real_package_says_depuis_2020_as_its_normandie_2020_campaign(
    published_package: Path,
) -> None:
    descriptor = json.loads((published_package / "datapackage.json").read_text(encoding="utf-8"))
    first = int(pd.read_csv(published_package / "data" / "campaigns.csv")["year"].min())
    assert first == 2020  # raw/normandie/2020/
    assert "depuis 2020" in descriptor["description"]
    readme = (published_package / "README.md").read_text(encoding="utf-8")
    assert "depuis 2020" in readme[:2000]
    assert "depuis 2021" not in readme
    page = page_text(published_package)
    assert f'<meta name="description" content="{descriptor["description"]}">' in page
    assert f'<p class="chapo">{descriptor["description"]}</p>' in page
    assert "depuis 2021" not in page


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ((("national", "call", 2021),), "1 campagne nationale (1 appel à projets)"),
        (
            (("national", "call", 2021), ("national", "call", 2024), ("regional", "renewal", 2023)),
            "2 campagnes nationales (2 appels à projets)",
        ),
        (
            (
                ("national", "training", 2022),
                ("national", "call", 2021),
                ("national", "renewal", 2023),
            ),
            "3 campagnes nationales (1 appel à projets, 1 reconduction et 1 appel de formation)",
        ),
        (
            (
                ("national", "frame", 2021),
                ("national", "call", 2025),
                ("national", "expression_of_interest", 2024),
            ),
            "3 campagnes nationales (1 appel à projets, 1 appel à manifestation d'intérêt et "
            "1 cadre national)",
        ),
        ((("regional", "call", 2021),), ""),
    ],
)
def test_national_campaigns_are_counted_by_their_kind(
    rows: tuple[tuple[str, str, int], ...], said: str
) -> None:
    assert national_text(campaigns(*rows)) == said


def test_the_real_page_counts_its_national_campaigns_by_kind(published_package: Path) -> None:
    table = pd.read_csv(published_package / "data" / "campaigns.csv")
    national = table[table["scope"] == "national"]
    page = page_text(published_package)
    assert f"et {national_text(table)}</li>" in page
    assert f"{len(national)} campagnes nationales" in page
    assert "cadres nationaux" not in page
    # The 2021 national rule is a frame, the 2024 overseas call an expression of interest: neither
    # is counted as a call for projects.
    kinds = dict(zip(national["campaign_id"], national["kind"]))
    assert kinds["fr-2021-cadre"] == "frame"
    assert kinds["fr-2024-ami-outre-mer"] == "expression_of_interest"
    assert "1 cadre national" in page and "1 appel à manifestation d'intérêt" in page
    readme = (published_package / "README.md").read_text(encoding="utf-8")
    assert f"`campaigns` seulement ({national_text(table)}" in readme


@pytest.mark.parametrize(
    ("declared", "qualifier", "note", "count", "quote"),
    [
        (
            200,
            "approximate",
            "« Près de 200 projets fictifs » (annonce) ; « autre »",
            "environ 200",
            "Près de 200 projets fictifs",
        ),
        (150, "minimum", "Au moins 150 projets fictifs, sans citation.", "au moins 150", None),
        (12, "exact", None, "12", None),
    ],
)
def test_a_national_figure_is_worded_from_its_row_and_its_source(
    declared: int, qualifier: str, note: str | None, count: str, quote: str | None
) -> None:
    tables = {
        "campaigns": pd.DataFrame(
            [
                {
                    "campaign_id": "fictif-national",
                    "scope": "national",
                    "kind": "call",
                    "year": 2030,
                    "declared_awards_count": float(declared),
                    "declared_awards_qualifier": qualifier,
                    "source_id": "france/2030/fictif",
                },
                {
                    "campaign_id": "fictif-regional",
                    "scope": "regional",
                    "kind": "call",
                    "year": 2030,
                    "declared_awards_count": 3.0,
                    "declared_awards_qualifier": "exact",
                    "source_id": "fictif/2030/liste",
                },
            ]
        ),
        "sources": pd.DataFrame(
            {"source_id": ["france/2030/fictif", "fictif/2030/liste"], "note": [note, None]}
        ),
    }
    assert national_figures(tables) == [
        {"campaign_id": "fictif-national", "year": 2030, "count": count, "quote": quote}
    ]
