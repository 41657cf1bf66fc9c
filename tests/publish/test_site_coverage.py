"""The coverage grid of the overview page and the README: every region × year from the `coverage`
table, each status said in words in a visible legend. Built from a copy of the real raw/ and
opened in a real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest


def plain(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text)


@pytest.fixture
def page(browser, published_package: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((published_package / "index.html").as_uri())
    yield page
    page.close()


def coverage(published: Path) -> pd.DataFrame:
    return pd.read_csv(published / "data" / "coverage.csv", dtype={"region_code": str})


def test_the_package_has_every_region_every_year(published_package: Path) -> None:
    cov = coverage(published_package)
    years = sorted(cov["year"].unique())
    assert years[0] == 2020 and years == list(range(2020, years[-1] + 1))
    assert len(cov) == 18 * len(years) and cov["region_code"].nunique() == 18
    cells = cov.set_index(["region_code", "year"])
    assert cells.loc[("24", 2022), "status"] == "collected"  # Centre-Val de Loire 2022
    assert cells.loc[("84", 2022), "status"] == "searched_nothing_found"  # Auvergne-Rhône-Alpes
    assert cells.loc[("84", 2022), "searched_on"] == "2026-12-06"
    assert cells.loc[("28", 2020), "status"] == "collected"  # Normandie: the 2020 training call
    assert cells.loc[("28", 2024), "status"] == "not_searched"  # searched 2021–2023 only


def test_the_page_shows_all_18_regions_and_says_what_each_status_means(page) -> None:
    rows = page.locator("#couverture tbody tr")
    names = [plain(rows.nth(i).locator("th").inner_text()) for i in range(rows.count())]
    regional = [n for n in names if n != "France (national)"]
    assert len(regional) == 18 and "Auvergne-Rhône-Alpes" in regional and "Corse" in regional
    legend = page.locator("#couverture .cles")
    assert legend.is_visible()
    for words in ("collecté", "cherché, rien trouvé", "pas encore cherché", "campagne seulement"):
        assert legend.get_by_text(words, exact=True).is_visible(), words
    ara = plain(page.locator("#couverture tbody tr", has_text="Auvergne-Rhône-Alpes").inner_text())
    assert ara.count("cherché, rien trouvé") == 6 and "pas encore cherché" in ara
    assert "le 2026-12-06" in ara
    search = plain(page.locator("#couverture p.note").first.inner_text())
    assert "corpus publics stockés" in search and "france/2026/recherche-hors-ligne" in search


def test_the_readme_grid_comes_from_the_same_table(published_package: Path) -> None:
    text = (published_package / "README.md").read_text(encoding="utf-8")
    section = text.split("## Couverture", 1)[1].split("\n## ", 1)[0]
    cov = coverage(published_package)
    counts = cov["status"].value_counts()
    assert f"{counts['searched_nothing_found']} cherchée(s) sans rien trouver" in section
    for name in cov["region_name"].unique():
        assert f"| {name} |" in section
    assert "| Corse | cherché, rien trouvé |" in section
    assert "**pas encore cherché**" in section
