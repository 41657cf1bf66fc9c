"""The overview page on a phone (390 px) and on a desk (1 400 px), in a real Chromium.

The package is built from a copy of the real raw/ (tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

PHONE, DESK = 390, 1400

# Every rendered piece of text of the charts and the map, with its size on screen: the computed
# font size times the scale its drawing is shown at (an SVG with a viewBox shrinks its text).
TEXT_SIZES = """() => {
  const out = [];
  for (const root of document.querySelectorAll('.graphique, #carte-departements')) {
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('title, desc, .visuellement-cache')) continue;
      const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const box = el.getBoundingClientRect();
      if (!box.width || !box.height) continue;
      const scale = el instanceof SVGElement ? el.getScreenCTM().a : 1;
      out.push([el.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(el).fontSize) * scale]);
    }
  }
  return out;
}"""


@pytest.fixture
def open_at(browser, published_package: Path):
    contexts = []

    def open_page(width: int, suffix: str = ""):
        context = browser.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.goto((published_package / "index.html").as_uri() + suffix)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [PHONE, DESK])
def test_every_text_of_the_charts_and_map_is_at_least_12_px(open_at, width: int) -> None:
    sizes = open_at(width).evaluate(TEXT_SIZES)
    assert len(sizes) > 50  # group titles, bar names and values, axis ticks, overseas tiles
    assert [s for s in sizes if s[1] < 12] == []


def test_bars_reflow_with_the_width_and_stay_proportional(open_at) -> None:
    for width in (PHONE, DESK):
        page = open_at(width)
        tracks = page.locator("#graphique-montants svg.piste")
        boxes = [tracks.nth(i).bounding_box() for i in range(tracks.count())]
        assert all(b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes)
        assert len({round(b["width"]) for b in boxes}) == 1  # one scale for every bar


@pytest.mark.parametrize("width", [PHONE, DESK])
def test_downloads_are_reached_before_the_charts(open_at, published_package: Path, width: int):
    page = open_at(width)
    links = page.get_by_role("list", name="Télécharger les données").get_by_role("link")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "data/awards.csv" in hrefs and "datapackage.json" in hrefs
    assert all((published_package / h).is_file() for h in hrefs if not h.startswith("#"))
    first_chart = page.locator(".graphique").first.bounding_box()
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["y"] + box["height"] <= min(800, first_chart["y"])  # on the first screen
        assert box["x"] >= 0 and box["x"] + box["width"] <= width


def scroll_widths(page) -> list[tuple[str, int, int]]:
    """The page's and each table's content width against its visible width."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    return page.evaluate("""() => [['page', document.scrollingElement.scrollWidth,
        document.scrollingElement.clientWidth]].concat([...document.querySelectorAll('.defilement')]
        .map(d => [d.getAttribute('aria-label'), d.scrollWidth, d.clientWidth]))""")


def test_nothing_scrolls_sideways_on_a_desk(open_at) -> None:
    widths = scroll_widths(open_at(DESK))
    assert len(widths) >= 6
    assert [w for w in widths if w[1] > w[2]] == []


def test_on_a_phone_the_page_never_scrolls_sideways_and_files_become_cards(open_at) -> None:
    page = open_at(PHONE)
    widths = {name: (content, seen) for name, content, seen in scroll_widths(page)}
    for name in ("page", "Tableau des fichiers", "Tableau des campagnes"):
        assert widths[name][0] <= widths[name][1], name
    # Each cell of a card says which column it is.
    cell = page.locator("#telecharger tbody tr", has_text="awards.csv").locator(
        "td[data-titre=CSV]"
    )
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"CSV"'


# --- shared addresses ------------------------------------------------------------------------------

FILTERS = {
    "Rechercher": "#filtre-texte",
    "Région": "#filtre-region",
    "Année": "#filtre-annee",
    "Financeur": "#filtre-financeur",
    "Département": "#filtre-departement",
}


def filters_of(page) -> dict[str, str]:
    return {label: page.locator(css).input_value() for label, css in FILTERS.items()}


@pytest.mark.parametrize("address", ["?region=24", "#laureats?region=24"])
def test_a_region_without_named_lines_is_kept_from_a_shared_address(open_at, address: str):
    # Centre-Val de Loire (24) publishes totals but names no line: the filter must hold all the same.
    page = open_at(PHONE, address)
    assert page.locator("#filtre-region").input_value() == "24"
    assert page.locator("#table-laureats tbody tr:visible").count() == 0
    assert page.locator("#filtre-vide").is_visible()
    assert page.locator("#filtre-compte").inner_text() == "0 ligne affichée sur 6"
    assert page.evaluate("window.location.hash") == "#laureats?region=24"  # one form to share
    option = page.locator("#filtre-region option[value='24']").inner_text()
    assert option == "Centre-Val de Loire (aucune ligne nommée)"


def test_every_filter_comes_back_from_the_address(open_at) -> None:
    page = open_at(DESK)
    page.locator("#filtre-region").select_option("27")
    page.locator("#filtre-annee").select_option("2021")
    page.locator("#filtre-financeur").select_option("NC")
    page.locator("#filtre-departement").select_option("25")
    page.locator("#filtre-texte").fill("coccinelle")
    chosen, address = filters_of(page), page.evaluate("window.location.href")
    assert page.locator("#table-laureats tbody tr:visible").count() == 1
    again = open_at(PHONE, "#" + address.split("#", 1)[1])
    assert filters_of(again) == chosen
    assert again.locator("#table-laureats tbody tr:visible").count() == 1


def test_a_value_the_page_does_not_know_is_said_not_dropped_silently(open_at) -> None:
    page = open_at(DESK, "?region=99&annee=2021")
    note = page.locator("#filtre-inconnu")
    assert note.is_visible()
    assert note.inner_text() == (
        "L'adresse demande région « 99 » : cette valeur ne figure pas dans ce paquet, "
        "le filtre n'est pas appliqué. Choisissez une valeur dans la liste."
    )
    assert page.locator("#filtre-annee").input_value() == "2021"  # the known one is kept


# --- the SCDL file ---------------------------------------------------------------------------------


def test_the_page_says_why_the_scdl_file_holds_no_line(open_at, published_package: Path) -> None:
    lines = (published_package / "data" / "scdl_subventions.csv").read_text(encoding="utf-8")
    said = " ".join(open_at(PHONE).locator("#scdl-vide").inner_text().split())
    if len(lines.splitlines()) == 1:  # the header alone: valid because empty
        assert "scdl_subventions.csv ne contient aujourd'hui aucune ligne" in said
        assert "il est valide parce qu'il est vide" in said
        assert "SIRET de l'attribuant, la date de la convention" in said
        assert "idAttribuant : le SIRET des ARS, DREETS et commissaires" in said
        assert "dateConvention : aucune source ne publie la date des conventions" in said
    else:
        conform = len(lines.splitlines()) - 1
        assert f"scdl_subventions.csv contient {conform} ligne" in said


def test_without_javascript_the_charts_downloads_and_first_lines_show(
    browser, published_package: Path
) -> None:
    context = browser.new_context(
        viewport={"width": PHONE, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto((published_package / "index.html").as_uri())
    assert page.get_by_role("link", name="Télécharger les lauréats").is_visible()
    assert page.locator("#graphique-montants .barre").count() > 10
    assert page.locator("#table-laureats tbody tr:visible").count() == 6
    assert not page.locator("#filtres").is_visible()  # the filters need the script
    context.close()
