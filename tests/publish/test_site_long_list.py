"""The overview page of a long list stays light and every line stays within reach (Chromium).

The list is fictitious, generated here: one region's single source of 3 000 lines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import build_package
from tests.publish.test_site import AXE, plain

LINES = 3000
# The page without its lines (charts, map, tables of campaigns) and a few bytes per line: one
# line written as HTML cost about 900 bytes, 3 000 of them made a page of 2.9 Mo.
BYTES_WITHOUT_LINES = 400_000
BYTES_PER_LINE = 250

MANIFEST = """\
# FICTIF : longue liste générée par tests/publish/test_site_long_list.py, aucune donnée réelle.
source: {publisher: "ARS fictive (longue liste)", url: "https://exemple.invalid/fictif/longue-liste", retrieved: 2026-01-15}
region: "53"
year: 2025
campaign: {id: "fictif-bretagne-2025-longue", title: "Appel à projets fictif 2025 (longue liste)"}
table: awards
read: {delimiter: ";"}
columns:
  beneficiary_name: Structure porteuse
  project_title: Intitulé du projet
  department: Département
  amount_eur: Montant accordé
defaults: {funder: ARS}
"""


def name(i: int) -> str:
    return f"Crèche fictive n° {i:04d}"


@pytest.fixture(scope="module")
def long_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("longue-liste")
    folder = root / "raw" / "bretagne" / "2025"
    folder.mkdir(parents=True)
    rows = [
        f"{name(i)};Projet fictif {i % 40} – parentalité;{('22', '29', '35', '56')[i % 4]};"
        f"{1000 + i} €"
        for i in range(1, LINES + 1)
    ]
    lines = [
        "Liste fictive des lauréats",
        "Structure porteuse;Intitulé du projet;Département;Montant accordé",
    ]
    (folder / "fictif-longue-liste.csv").write_text(
        "\n".join(lines + rows) + "\n", encoding="utf-8"
    )
    (folder / "fictif-longue-liste.yaml").write_text(MANIFEST, encoding="utf-8")
    return build_package(root)


def test_the_page_carries_the_lines_as_data_not_as_rows_of_html(long_list: Path) -> None:
    html = (long_list / "index.html").read_text(encoding="utf-8")
    assert len(pd.read_csv(long_list / "data" / "awards.csv")) == LINES
    assert len(html.encode()) < BYTES_WITHOUT_LINES + BYTES_PER_LINE * LINES
    # Only the first page is written as HTML: without JavaScript it shows, with the way to the rest.
    assert len(re.findall(r"<tr data-id=", html)) == 50
    assert name(1) in html and name(51) in html.split('id="donnees-selection"')[1]
    assert "Les 50 premières lignes sur 3000 sont affichées ici" in html


def test_a_line_on_page_n_is_reached_and_its_address_shared(browser, long_list: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((long_list / "index.html").as_uri())
    assert page.locator("#filtre-compte").inner_text() == f"{LINES} lignes affichées sur {LINES}"
    assert not page.locator("#pages-sans-script").is_visible()
    rows = page.locator("#table-laureats tbody tr")
    assert rows.count() == 50 and name(1) in rows.first.inner_text()

    page.get_by_role("button", name="Page suivante").click()
    assert name(51) in rows.first.inner_text() and rows.count() == 50
    page.get_by_label("Page", exact=True).fill("37")
    page.get_by_label("Page", exact=True).press("Enter")
    wanted = plain(rows.nth(7).inner_text())  # the 8th line of page 37: line 36 × 50 + 8
    assert (
        name(1808) in wanted and "2 808 €" in wanted and "Projet fictif 8 – parentalité" in wanted
    )
    assert plain(page.locator("#page-lignes").inner_text()) == "Lignes 1801 à 1850 sur 3000"
    assert page.get_by_role("button", name="Page suivante").is_enabled()

    address = page.evaluate("window.location.href")
    assert address.endswith("#laureats?page=37")
    again = browser.new_page()
    again.goto(address)  # the shared address opens the same page
    assert name(1808) in again.locator("#table-laureats tbody tr").nth(7).inner_text()
    again.close()

    # A filter starts again from its first page; its last page holds what is left.
    page.get_by_label("Département", exact=True).select_option("29")  # one line in four
    assert page.locator("#filtre-compte").inner_text() == "750 lignes affichées sur 3000"
    assert plain(page.locator("#page-lignes").inner_text()) == "Lignes 1 à 50 sur 750"
    page.get_by_label("Page", exact=True).fill("15")
    page.get_by_label("Page", exact=True).press("Enter")
    assert [r.split("\t")[1] for r in map(plain, rows.all_inner_texts())] == [
        name(i) for i in range(2801, 3001, 4)
    ]
    assert page.get_by_role("button", name="Page suivante").is_disabled()
    assert errors == []
    page.close()


def test_the_pages_controls_pass_axe(browser, long_list: Path) -> None:
    # The page's own CSP refuses any script it does not list: bypassed here to inject axe-core.
    context = browser.new_context(viewport={"width": 390, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto((long_list / "index.html").as_uri() + "#laureats?page=2")
    assert page.locator("#pages").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run('#laureats', {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
    context.close()
