"""The contributor page driven as a contributor would, in a real Chromium, against a real git
repository and the real reading engine. Every list here is fictitious (tests/fictif.py)."""

from __future__ import annotations

import functools
import re
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner

from assets.cli import main
from assets.workers import in_sandbox, read_sources
from pipelines.web.app import Engine, create_app
from pipelines.web.contributions import drafted
from tests.fictif import LAUREATS_FICTIFS, csv_fictif, xlsx_fictif
from tests.publish.test_site import AXE

BRANCH = "contribution/normandie-2024-laureats-fictifs"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project repository with a first commit on main, as the server's clone would be."""
    root = tmp_path / "projet"
    (root / "raw").mkdir(parents=True)
    (root / "raw" / "README.md").write_text("Sources (fictives pour les tests)\n", encoding="utf-8")
    _git(root.parent, "init", "-q", "-b", "main", str(root))
    _git(root, "add", ".")
    _git(
        root,
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@exemple.invalid",
        "commit",
        "-qm",
        "init",
    )
    return root


@pytest.fixture
def server(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MILLE_JOURS_CONTRIBUTIONS", str(tmp_path / "contributions"))
    engine = Engine(read_sources, functools.partial(in_sandbox, drafted))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(repo, engine), host="127.0.0.1", port=port, log_level="error"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


def fixture_file(tmp_path: Path, shape: str) -> Path:
    path = tmp_path / f"Lauréats fictifs.{shape}"
    if shape == "csv":
        path.write_bytes(csv_fictif())
    else:
        xlsx_fictif(path)
    return path


def drop(page, server: str, path: Path) -> None:
    page.goto(server + "/")
    page.select_option("#region", label="Normandie")
    page.select_option("#annee", "2024")
    page.set_input_files("#fichier", str(path))
    page.click("text=Lire la liste")
    page.wait_for_url(re.compile(r"/contribution/"))


def fill_provenance(page) -> None:
    page.fill("#publisher", "ARS Normandie (éditeur fictif)")
    page.fill("#url", "https://exemple.invalid/liste-fictive")
    page.fill("#retrieved", "2026-01-15")
    page.fill("#title", "Appel à projets fictif 2024")
    page.select_option("#funder", "ARS")
    page.fill("#total_amount_eur", "41 734,50")
    page.click("text=Enregistrer la provenance")
    page.wait_for_load_state()


@pytest.mark.parametrize("shape", ["csv", "xlsx"])
def test_from_the_drop_to_a_committed_branch_that_validates(browser, server, repo, tmp_path, shape):
    page = browser.new_page()
    drop(page, server, fixture_file(tmp_path, shape))
    assert "manifeste à compléter" in page.locator(".verdict").inner_text()
    assert page.locator("tr.state-acceptée").count() == 4
    assert (
        "Ligne TOTAL du fichier (ligne 9) : 41\u202f734,50 € ; somme des lignes acceptées : "
        "41\u202f734,50 € : elles concordent." in page.locator("#lecture").inner_text()
    )
    assert "TOTAL" in page.locator("tr.state-ignorée").last.inner_text()

    fill_provenance(page)
    assert "acceptée" in page.locator(".verdict").inner_text()
    assert "ils concordent" in page.locator("#lecture").inner_text()
    page.fill("#auteur", "Jeanne Contributrice")
    page.fill("#courriel", "jeanne.contributrice@exemple.invalid")
    page.click(f"text=Proposer sur la branche {BRANCH}")
    page.wait_for_load_state()
    assert BRANCH in page.locator("main").inner_text()
    assert "41 734,50 €" in page.locator("main").inner_text()
    row = " ".join(page.locator("#legende-couverture ~ tbody").inner_text().split())
    assert row.startswith("Normandie 2024 normandie-2024-aap liste complète 4")

    # Committed on its own branch, never on main, with the author given.
    assert _git(repo, "ls-tree", "-r", "--name-only", "main").split() == ["raw/README.md"]
    files = sorted(_git(repo, "ls-tree", "-r", "--name-only", BRANCH).split())
    assert files == sorted(
        [
            "raw/README.md",
            f"raw/normandie/2024/laureats-fictifs.{shape}",
            "raw/normandie/2024/laureats-fictifs.yaml",
        ]
    )
    assert _git(repo, "log", "-1", "--format=%an <%ae>", BRANCH).strip() == (
        "Jeanne Contributrice <jeanne.contributrice@exemple.invalid>"
    )
    page.goto(server + "/contributions")
    assert f"{BRANCH} 0 (acceptée) normandie/2024/laureats-fictifs : acceptée" in " ".join(
        page.locator("tbody").inner_text().split()
    )
    checkout = tmp_path / "relecture"
    _git(repo, "worktree", "add", "-q", str(checkout), BRANCH)
    result = CliRunner().invoke(
        main, ["validate", str(checkout / "raw" / "normandie" / "2024" / "laureats-fictifs.yaml")]
    )
    assert result.exit_code == 0, result.output


def test_a_mapping_change_reads_again_with_and_without_javascript(browser, server, tmp_path):
    from playwright.sync_api import expect

    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        drop(page, server, fixture_file(tmp_path, "csv"))
        lines = page.locator("#lecture tbody")
        expect(lines).to_contain_text("12 500,00 €")
        page.select_option("#col_amount_eur", "")
        if not javascript:  # a plain form post, the page read again
            page.click("text=Relire avec ces colonnes")
        expect(lines).not_to_contain_text("12 500,00 €", timeout=60_000)
        expect(page.locator("#lecture")).to_contain_text("« Montant accordé » n'est ni reprise")
        assert page.locator("#col_amount_eur").input_value() == ""
        page.select_option("#col_amount_eur", "Montant accordé")
        if not javascript:
            page.click("text=Relire avec ces colonnes")
        expect(lines).to_contain_text("12 500,00 €", timeout=60_000)
        context.close()


def test_missing_provenance_is_said_beside_each_field(browser, server, tmp_path):
    page = browser.new_page()
    drop(page, server, fixture_file(tmp_path, "csv"))
    page.fill("#url", "exemple.invalid/sans-protocole")
    page.fill("#publisher", "")
    page.evaluate(
        "document.querySelector('#provenance form').noValidate = true"
    )  # as an old browser
    page.click("text=Enregistrer la provenance")
    assert (
        "À compléter : l'organisme qui a publié la liste"
        in page.locator("#err_publisher").inner_text()
    )
    assert "https://" in page.locator("#err_url").inner_text()
    assert page.locator("#soumettre button").count() == 0  # nothing to propose yet


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vide.csv", b"", "Le fichier est vide"),
        ("programme.exe", b"MZ\x90\x00", "Type de fichier non lu"),
        ("faux.xlsx", b"Structure;Montant\n", "n'est pas un vrai XLSX"),
        ("faux.pdf", b"<html></html>", "n'est pas un vrai PDF"),
        ("../../etc/passwd.csv", b"", "Le fichier est vide"),
        (
            "corrompu.xlsx",
            b"PK\x03\x04" + b"\x00fictif" * 50,
            "classeur xlsx corrompu ou illisible",
        ),
        ("tronque.json", b'{"laureats": [', "JSON invalide"),
        ("utf16.csv", b"\xff\xfeL\x00a\x00u\x00r\x00\x00", "fichier marqué UTF-16 mais illisible"),
        (
            "binaire.csv",
            b"\xff\xfe\x00\x00fictif",
            "aucun tableau trouvé",
        ),
    ],
)
def test_bad_files_get_a_french_message_and_nothing_is_kept(
    browser, server, repo, tmp_path, name, data, message
):
    path = tmp_path / "depot" / Path(name).name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    page = browser.new_page()
    page.goto(server + "/")
    page.select_option("#region", label="Normandie")
    page.set_input_files("#fichier", str(path))
    page.click("text=Lire la liste")
    assert message in page.locator(".error").inner_text()
    assert not list((tmp_path / "contributions").glob("*/contribution.json"))
    assert _git(repo, "branch", "--list", "contribution/*") == ""


def test_a_form_sent_from_elsewhere_is_refused(server, repo):
    import httpx

    response = httpx.post(server + "/deposer", data={"region": "28", "annee": "2024"})
    assert response.status_code == 400
    assert "Formulaire expiré ou envoyé d&#39;ailleurs" in response.text


@pytest.mark.parametrize("width", [390, 1400])
def test_the_contribution_page_has_no_serious_axe_violation(browser, server, tmp_path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    drop(page, server, fixture_file(tmp_path, "csv"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    context.close()


def test_behind_the_agency_proxy_the_trusted_identity_signs(
    browser, server, repo, tmp_path, monkeypatch
):
    monkeypatch.setenv("MILLE_JOURS_USER_HEADER", "X-Forwarded-User")
    monkeypatch.setenv("MILLE_JOURS_EMAIL_HEADER", "X-Forwarded-Email")
    context = browser.new_context(
        extra_http_headers={
            "X-Forwarded-User": "Agent Fictif",
            "X-Forwarded-Email": "agent.fictif@ars.exemple.invalid",
        }
    )
    page = context.new_page()
    drop(page, server, fixture_file(tmp_path, "csv"))
    fill_provenance(page)
    page.fill("#auteur", "Quelqu'un d'autre")
    page.fill("#courriel", "autre@exemple.invalid")
    page.click(f"text=Proposer sur la branche {BRANCH}")
    page.wait_for_load_state()
    assert _git(repo, "log", "-1", "--format=%an <%ae>", BRANCH).strip() == (
        "Agent Fictif <agent.fictif@ars.exemple.invalid>"
    )
    context.close()


def propose(page, server: str, path: Path, author: str) -> None:
    drop(page, server, path)
    fill_provenance(page)
    page.fill("#auteur", author)
    page.fill("#courriel", "agent@exemple.invalid")
    page.click(f"text=Proposer sur la branche {BRANCH}")
    page.wait_for_load_state()


def test_a_second_contributor_never_overwrites_the_first_one(browser, server, repo, tmp_path):
    first = browser.new_context().new_page()
    propose(first, server, fixture_file(tmp_path, "csv"), "Première Contributrice")
    second = browser.new_context().new_page()
    propose(second, server, fixture_file(tmp_path, "csv"), "Second Contributeur")
    assert (
        "Une autre contribution propose déjà une liste sous ce nom"
        in second.locator(".error").first.inner_text()
    )
    assert _git(repo, "log", "--format=%an", BRANCH).split("\n")[0] == "Première Contributrice"


def test_a_list_already_in_the_repository_is_not_proposed_again(browser, server, repo, tmp_path):
    folder = repo / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    (folder / "deja-la.csv").write_bytes(csv_fictif())
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=T", "-c", "user.email=t@exemple.invalid", "commit", "-qm", "liste")
    page = browser.new_page()
    propose(page, server, fixture_file(tmp_path, "csv"), "Jeanne Contributrice")
    assert (
        "déjà dans le dépôt (raw/normandie/2024/deja-la.csv)"
        in page.locator(".error").first.inner_text()
    )
    assert _git(repo, "branch", "--list", "contribution/*") == ""


def test_the_unit_of_the_amounts_is_a_form_control(browser, server, tmp_path):
    from playwright.sync_api import expect

    rows = [
        r[:3] + [amount, ""] for r, amount in zip(LAUREATS_FICTIFS, ["12,5", "8", "1,2345", "20"])
    ]
    path = tmp_path / "laureats-k.csv"
    path.write_bytes(csv_fictif(rows, total="41,7345"))
    page = browser.new_page()
    drop(page, server, path)
    lines = page.locator("#lecture tbody")
    expect(lines).to_contain_text("12,50 €")
    page.select_option("#read_amount_unit", "k€")
    expect(lines).to_contain_text("12 500,00 €", timeout=60_000)
    expect(lines).to_contain_text("1 234,50 €")
    assert "amount_unit: k€" in next(
        (tmp_path / "contributions").rglob("laureats-k.yaml")
    ).read_text(encoding="utf-8")


def test_a_demarches_export_is_replaced_by_its_publishable_copy(browser, server, repo, tmp_path):
    from tests.contribute.shapes import ds_export

    export = ds_export(tmp_path / "export-demarches.csv")
    page = browser.new_page()
    drop(page, server, export)
    assert "le fichier déposé est effacé du serveur" in page.locator("main").inner_text()
    kept = sorted(p.name for p in (tmp_path / "contributions").rglob("*.csv"))
    assert kept == ["export-demarches-publiable.csv"]
    assert page.locator("#titre-perso").count() == 0  # no personal data left to block it


def _shapes():
    from tests.contribute.test_publisher_shapes import SCAN_SHAPE, SHAPES

    return [pytest.param(*shape, id=shape[3]) for shape in [*SHAPES, SCAN_SHAPE]]


@pytest.mark.parametrize(("region_folder", "region", "year", "name", "make", "lines"), _shapes())
def test_each_publisher_shape_goes_from_the_page_to_a_branch_exactly(
    browser, server, repo, tmp_path, region_folder, region, year, name, make, lines
):
    """Only the page: the drop, the provenance form (publisher, address), the proposal."""
    from pipelines.stage.source import stage_source
    from tests.contribute.test_publisher_shapes import _tesseract_fra, lines_of

    if name.endswith("scan.pdf") and not _tesseract_fra():
        pytest.skip("Tesseract et son modèle français absents : apt-get install tesseract-ocr-fra")
    path = make(tmp_path / name)
    page = browser.new_page()
    page.goto(server + "/")
    page.select_option("#region", region)
    page.select_option("#annee", str(year))
    page.set_input_files("#fichier", str(path))
    page.click("text=Lire la liste")
    page.wait_for_url(re.compile(r"/contribution/"), timeout=120_000)
    page.fill("#publisher", "ARS fictive (éditeur de test)")
    page.fill("#url", "https://exemple.invalid/liste-fictive")
    page.click("text=Enregistrer la provenance")
    page.wait_for_load_state()
    assert "acceptée" in page.locator(".verdict").inner_text(), page.locator(
        "#lecture"
    ).inner_text()
    page.fill("#auteur", "Jeanne Contributrice")
    page.fill("#courriel", "jeanne.contributrice@exemple.invalid")
    page.locator("#soumettre button").click()
    page.wait_for_load_state()
    stem = Path(name).stem
    branch = f"contribution/{region_folder}-{year}-{stem}"
    assert branch in page.locator("main").inner_text()

    checkout = tmp_path / "relecture"
    _git(repo, "worktree", "add", "-q", str(checkout), branch)
    manifest = checkout / "raw" / region_folder / str(year) / f"{stem}.yaml"
    assert CliRunner().invoke(main, ["validate", str(manifest)]).exit_code == 0
    assert sorted(lines_of(stage_source(manifest, checkout / "raw")), key=str) == sorted(
        lines, key=str
    )


def test_a_region_and_year_the_file_contradicts_are_said_before_anything_is_proposed(
    browser, server, repo, tmp_path
):
    page = browser.new_page()
    page.goto(server + "/")
    page.select_option("#region", label="Bretagne")
    page.select_option("#annee", "2023")
    page.set_input_files("#fichier", str(fixture_file(tmp_path, "csv")))
    page.click("text=Lire la liste")
    page.wait_for_url(re.compile(r"/contribution/"))
    fill_provenance(page)
    said = " ".join(page.locator("#titre-lieu + p").inner_text().split())
    assert "le fichier parle de 2024, pas de 2023" in said
    assert "le fichier nomme Normandie, pas Bretagne" in said
    assert page.locator("#soumettre button").count() == 0
    page.check("#lieu_confirme")
    page.click("text=Confirmer")
    page.wait_for_load_state()
    assert page.locator("#titre-lieu").count() == 0  # the choice is the contributor's, once said
    # Its départements are Normandie's: under Bretagne, its lines are refused all the same.
    assert page.locator("tr.state-rejetée").count() == 4


def test_a_filter_keeps_only_the_rows_the_contributor_names(browser, server, tmp_path):
    from playwright.sync_api import expect

    rows = [
        r[:4] + [state]
        for r, state in zip(LAUREATS_FICTIFS, ["retenu", "refusé", "retenu", "retenu"])
    ]
    path = tmp_path / "avec-etat.csv"
    header = [
        "Structure porteuse",
        "Intitulé du projet",
        "Département",
        "Montant accordé",
        "Décision",
    ]
    path.write_bytes(csv_fictif(rows, header=header))
    page = browser.new_page()
    drop(page, server, path)
    page.fill("#filter_keep", "retenu")
    page.select_option("#filter_column", "Décision")
    expect(page.locator("tr.state-acceptée")).to_have_count(3, timeout=60_000)
    expect(page.locator("#lecture tbody")).not_to_contain_text("Crèche Imaginaire du Bocage")
