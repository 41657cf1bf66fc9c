"""The overview page's map in Chromium: announced laureates are counted, each département is reached
by keyboard and by touch, and the map follows the awards' filters.

The package is fictitious, generated here: Normandie announces laureates per département without
naming them; Bretagne names two lines in Ille-et-Vilaine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import build_package
from tests.publish.test_site import expect, plain

COUNTS = """\
# FICTIF : nombres de lauréats par département générés par tests/publish/test_site_map.py.
source: {publisher: "ARS fictive de Normandie", url: "https://exemple.invalid/fictif/normandie", retrieved: 2026-01-15}
region: "28"
year: 2024
campaign: {id: "fictif-normandie-2024", title: "Appel à projets fictif 2024", kind: call}
table: campaign_counts
read: {delimiter: ";"}
columns: {subject: Objet, department: Département, count: Nombre}
"""
AWARDS = """\
# FICTIF : lauréats nommés générés par tests/publish/test_site_map.py.
source: {publisher: "ARS fictive de Bretagne", url: "https://exemple.invalid/fictif/bretagne", retrieved: 2026-01-15}
region: "53"
year: 2025
campaign: {id: "fictif-bretagne-2025", title: "Appel à projets fictif 2025"}
table: awards
read: {delimiter: ";"}
columns: {beneficiary_name: Structure, project_title: Projet, department: Département, amount_eur: Montant}
defaults: {funder: ARS}
"""
NO_LINE = "#eef0f2"


@pytest.fixture(scope="module")
def fictif(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("carte")
    for folder, name, text, manifest in (
        (
            "normandie/2024",
            "fictif-laureats",
            "Objet;Département;Nombre\nProjets retenus;Manche;4\nProjets retenus;Orne;1\n",
            COUNTS,
        ),
        (
            "bretagne/2025",
            "fictif-liste",
            "Structure;Projet;Département;Montant\n"
            "Crèche fictive A;Projet fictif A;35;1 000 €\nCrèche fictive B;Projet fictif B;35;2 000 €\n",
            AWARDS,
        ),
    ):
        (root / "raw" / folder).mkdir(parents=True)
        (root / "raw" / folder / f"{name}.csv").write_text(text, encoding="utf-8")
        (root / "raw" / folder / f"{name}.yaml").write_text(manifest, encoding="utf-8")
    return build_package(root)


@pytest.fixture
def page(browser, fictif: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((fictif / "index.html").as_uri())
    yield page
    assert not errors
    page.close()


def shape(page, code: str):
    return page.locator(f"#carte-departements [data-departement='{code}']")


def test_announced_laureates_colour_the_map_and_are_said_never_zero(page) -> None:
    manche = shape(page, "50")
    assert (
        manche.get_attribute("data-annonces") == "4" and manche.get_attribute("data-lignes") == "0"
    )
    assert manche.get_attribute("fill") != NO_LINE and manche.get_attribute("fill").startswith(
        "url(#hachure"
    )
    assert manche.get_attribute("aria-label") == "Manche (50) : 4 lauréats annoncés, 0 ligne nommée"
    assert "ligne publiée" not in manche.locator("title").text_content()
    ille = shape(page, "35").get_attribute("aria-label")
    assert ille.startswith(
        "Ille-et-Vilaine (35) : aucun nombre de lauréats annoncé, 2 lignes nommées"
    )
    legend = plain(page.locator("#carte .legende").inner_text())
    assert "hachuré : annoncés, aucun nommé" in legend
    page.locator("#carte summary").click()
    cells = page.locator("#table-carte tr[data-departement='50'] td").all_inner_texts()
    assert cells == ["4", "0", "0", "non publiés"]


def test_keyboard_focus_shows_the_figures_in_a_visible_panel(page) -> None:
    panel = page.locator("#carte-panneau")
    expect(panel).to_be_visible()
    assert "Survolez" not in page.locator("#carte").inner_text()
    page.locator("#carte-section-titre").click()  # start Tab from the map's heading
    for _ in range(10):
        page.keyboard.press("Tab")
        code = page.evaluate("document.activeElement.getAttribute('data-departement')")
        if code:
            break
    assert code, "aucun département n'est atteint avec la touche Tab"
    expect(panel).to_have_text(shape(page, code).get_attribute("data-libelle"))
    shape(page, "50").focus()
    expect(panel).to_have_text("Manche (50) : 4 lauréats annoncés, 0 ligne nommée")


def test_a_tap_on_a_phone_shows_the_figures(browser, fictif: Path) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True)
    page = phone.new_page()
    page.goto((fictif / "index.html").as_uri())
    shape(page, "974").tap()
    expect(page.locator("#carte-panneau")).to_have_text(
        "La Réunion (974) : aucun nombre de lauréats annoncé, 0 ligne nommée"
    )
    phone.close()


def test_a_region_filter_redraws_the_map(page) -> None:
    page.select_option("#filtre-region", "53")
    expect(shape(page, "50")).to_have_attribute("fill", NO_LINE)
    expect(shape(page, "50")).to_have_attribute("data-annonces", "")
    expect(shape(page, "35")).to_have_attribute("data-lignes", "2")
    expect(page.locator("#carte-filtres")).to_contain_text("région Bretagne")
    shape(page, "35").focus()
    expect(page.locator("#carte-panneau")).to_contain_text("2 lignes nommées dans la sélection")
    page.select_option("#filtre-region", "")
    expect(shape(page, "50")).to_have_attribute("data-annonces", "4")
    expect(page.locator("#carte-filtres")).to_be_hidden()


def test_a_region_in_the_address_redraws_the_map(browser, fictif: Path) -> None:
    page = browser.new_page()
    page.goto((fictif / "index.html").as_uri() + "#laureats?region=28")
    expect(shape(page, "35")).to_have_attribute("data-lignes", "0")
    expect(shape(page, "35")).to_have_attribute("fill", NO_LINE)
    expect(shape(page, "50")).to_have_attribute("data-annonces", "4")
    page.close()
