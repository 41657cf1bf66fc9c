"""Lists shaped as regions publish them go in from the drafted manifest, exactly.

For each shape (tests/contribute/shapes.py, fictitious files): `new-source` drafts the manifest, the
contributor fills only the « À COMPLÉTER » provenance lines, `validate` accepts, and the staged
source holds every laureate, every amount and nothing else. The last test publishes them all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from assets.cli import main
from pipelines.stage.source import stage_source
from pipelines.stage.staged import StagedSource
from tests.contribute import shapes


@dataclass
class Contribution:
    manifest: Path
    drafted: str  # what new-source printed
    draft: str  # the manifest as drafted
    validated: str  # what validate printed
    exit_code: int
    staged: StagedSource


def cli(*args: str | Path):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def fill_provenance(manifest: Path) -> None:
    """Only what the draft marks « À COMPLÉTER » in `source`: who published the list, and where."""
    text = manifest.read_text(encoding="utf-8")
    assert text.count("À COMPLÉTER :") >= 2
    text = re.sub(r"(?m)^  publisher: .*$", "  publisher: ARS fictive (éditeur de test)", text)
    text = re.sub(r"(?m)^  url: .*$", "  url: https://exemple.invalid/liste-fictive", text)
    manifest.write_text(text, encoding="utf-8")


def contribute(root: Path, data: Path, region: str, year: int) -> Contribution:
    drafted = cli("new-source", data, "--region", region, "--year", str(year))
    assert drafted.exit_code == 0, drafted.output
    manifest = data.with_suffix(".yaml")
    draft = manifest.read_text(encoding="utf-8")
    fill_provenance(manifest)
    checked = cli("validate", manifest)
    return Contribution(
        manifest,
        drafted.output,
        draft,
        checked.output,
        checked.exit_code,
        stage_source(manifest, root / "raw"),
    )


def lines_of(staged: StagedSource) -> list[tuple]:
    rows = staged.rows
    return [
        (
            r.beneficiary_name,
            r.project_title,
            r.department_code,
            r.funder,
            None if pd.isna(r.amount_eur) else float(r.amount_eur),
        )
        for r in rows.itertuples()
    ]


def folder(root: Path, region: str, year: int) -> Path:
    path = root / "raw" / region / str(year)
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_cofunded_lines_without_zero_lines_nor_subtotals(tmp_path: Path):
    data = shapes.cofunded_csv(folder(tmp_path, "ile-de-france", 2024) / "laureats-cofinances.csv")
    c = contribute(tmp_path, data, "11", 2024)
    assert "amount_eur_by_funder:" in c.draft
    assert "ARS: Montant ARS" in c.draft and "DREETS: Montant DREETS" in c.draft
    assert "COMMISSAIRE_PAUVRETE: Montant Commissaire" in c.draft
    # The file's TOTAL is offered as the declared total, never a sub-total.
    assert f"total_amount_eur: {shapes.COFUNDED_TOTAL:.2f}" in c.draft
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shapes.COFUNDED_LINES
    assert c.staged.source["rows_accepted"] == 4
    assert 0 not in set(c.staged.rows["amount_eur"].dropna())
    warned = [w for w in c.staged.warnings if w.code == "no_funder_amount"]
    assert [w.row for w in warned] == [8]
    assert not [w for w in c.staged.warnings if w.code == "total_mismatch"]


def test_header_over_two_rows_with_merged_cells(tmp_path: Path):
    data = shapes.two_row_header_xlsx(
        folder(tmp_path, "centre-val-de-loire", 2025) / "laureats-deux-lignes.xlsx"
    )
    c = contribute(tmp_path, data, "24", 2025)
    assert "header_row: 3" in c.draft and "header_rows: 2" in c.draft
    assert "ARS: Montant accordé (€) ARS" in c.draft
    assert "DREETS: Montant accordé (€) DREETS" in c.draft
    assert "COMMISSAIRE_PAUVRETE: Montant accordé (€) Commissaire" in c.draft
    assert f"total_amount_eur: {shapes.TWO_ROW_TOTAL:.2f}" in c.draft
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shapes.TWO_ROW_LINES
    assert c.staged.source["rows_read"] == 8 and c.staged.source["rows_skipped"] == 5

    # A contributor who gives only header_row, the first of the two lines: the second is found.
    text = re.sub(r"(?m)^  header_rows: .*\n", "", c.manifest.read_text(encoding="utf-8"))
    c.manifest.write_text(text, encoding="utf-8")
    assert lines_of(stage_source(c.manifest, tmp_path / "raw")) == shapes.TWO_ROW_LINES


def test_one_sheet_per_departement_and_a_synthesis(tmp_path: Path):
    data = shapes.sheets_xlsx(folder(tmp_path, "bretagne", 2023) / "laureats-par-departement.xlsx")
    c = contribute(tmp_path, data, "53", 2023)
    assert "sheets: all" in c.draft
    assert "department: (feuille)" in c.draft
    assert "header_row" not in c.draft.split("columns:")[0].replace("# header_row", "")
    assert "ARS: Subvention ARS" in c.draft
    # One TOTAL per sheet: none is offered as the campaign's total.
    assert "total_amount_eur: 0 " in c.draft
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shapes.SHEETS_LINES
    source = c.staged.source
    synthesis = [s for s in c.staged.skipped if s.place == "Synthèse"]
    assert len(synthesis) == 6 and all(s.kind == "other_table" for s in synthesis)
    assert (
        source["rows_read"]
        == source["rows_accepted"] + source["rows_rejected"] + source["rows_skipped"]
    )
    assert source["rows_accepted"] == 5 and source["rows_read"] == 6 + 3 * 4 + 5


def test_web_article_without_a_table(tmp_path: Path):
    data = shapes.article_html(folder(tmp_path, "bretagne", 2022) / "article-laureats.html")
    c = contribute(tmp_path, data, "53", 2022)
    assert "  items: " in c.draft
    assert "department: (intertitre)" in c.draft
    assert "beneficiary_name: beneficiary_name" in c.draft and "amount_eur: amount_eur" in c.draft
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shapes.ARTICLE_LINES
    assert c.staged.source["rows_accepted"] == 5

    # An item written another way is rejected with its text, never lost nor taken as it comes.
    data.write_text(
        shapes.ARTICLE.replace("Formation fictive : 5 000 EUR", "Formation fictive (5 000 EUR)"),
        encoding="utf-8",
    )
    odd = stage_source(c.manifest, tmp_path / "raw")
    assert len(odd.rows) == 4 and len(odd.rejects) == 1
    reject = odd.rejects.iloc[0]
    assert reject["value"] == "Relais imaginaire Petite Enfance – Formation fictive (5 000 EUR)"
    assert "ne suit pas le motif read.items" in reject["reason"]


def test_word_document_exported_to_pdf(tmp_path: Path):
    data = shapes.word_pdf(folder(tmp_path, "nouvelle-aquitaine", 2024) / "laureats-word.pdf")
    c = contribute(tmp_path, data, "75", 2024)
    assert (
        f"total_amount_eur: {shapes.WORD_TOTAL:.2f}" in c.draft
    )  # the TOTAL merged over three cells
    assert c.exit_code == 0, c.validated
    # The row cut by the page break is one laureate, its title whole; « Saint-Imaginaire » keeps its hyphen.
    assert lines_of(c.staged) == shapes.WORD_LINES
    assert not len(c.staged.rejects)
    assert [s.kind for s in c.staged.skipped] == ["header", "header", "total"]
    assert not [w for w in c.staged.warnings if w.code == "total_mismatch"]


def test_dirty_csv_line_with_a_field_too_many(tmp_path: Path):
    data = shapes.dirty_csv(folder(tmp_path, "occitanie", 2024) / "laureats-csv.csv")
    c = contribute(tmp_path, data, "76", 2024)
    assert "encoding: cp1252" in c.draft
    assert "extra_fields_into: Intitulé du projet   # À VÉRIFIER : 1 ligne(s) (4)" in c.draft
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shapes.DIRTY_LINES
    warned = [w for w in c.staged.warnings if w.code == "extra_fields"]
    assert [(w.row, w.message) for w in warned] == [
        (
            4,
            "la ligne a 6 champs au lieu de 5 : le champ en trop est rattaché à « Intitulé du projet »",
        )
    ]

    # Without the key: one message for the line, which is rejected whole, not a cascade of wrong cells.
    text = re.sub(r"(?m)^  extra_fields_into: .*\n", "", c.manifest.read_text(encoding="utf-8"))
    c.manifest.write_text(text, encoding="utf-8")
    refused = cli("validate", c.manifest)
    assert refused.exit_code == 1
    staged = stage_source(c.manifest, tmp_path / "raw")
    assert len(staged.rows) == 2 and len(staged.rejects) == 1
    assert staged.rejects.iloc[0]["reason"].startswith("la ligne a 6 champs au lieu de 5")
    assert "read.extra_fields_into" in staged.rejects.iloc[0]["fix"]
    assert "6 champs au lieu de 5" in refused.output


SHAPES = [  # (region folder, region, year, file name, generator, expected award lines)
    (
        "ile-de-france",
        "11",
        2024,
        "laureats-cofinances.csv",
        shapes.cofunded_csv,
        shapes.COFUNDED_LINES,
    ),
    (
        "centre-val-de-loire",
        "24",
        2025,
        "laureats-deux-lignes.xlsx",
        shapes.two_row_header_xlsx,
        shapes.TWO_ROW_LINES,
    ),
    (
        "bretagne",
        "53",
        2023,
        "laureats-par-departement.xlsx",
        shapes.sheets_xlsx,
        shapes.SHEETS_LINES,
    ),
    ("bretagne", "53", 2022, "article-laureats.html", shapes.article_html, shapes.ARTICLE_LINES),
    ("nouvelle-aquitaine", "75", 2024, "laureats-word.pdf", shapes.word_pdf, shapes.WORD_LINES),
    ("occitanie", "76", 2024, "laureats-csv.csv", shapes.dirty_csv, shapes.DIRTY_LINES),
    (
        "ile-de-france",
        "11",
        2023,
        "laureats-intitules.csv",
        shapes.spelled_csv,
        shapes.SPELLED_LINES,
    ),
]


# The scanned list, published when Tesseract and its French model are there.
SCAN_SHAPE = (
    "bourgogne-franche-comte",
    "27",
    2024,
    "laureats-scan.pdf",
    shapes.scanned_pdf,
    shapes.SCAN_LINES,
)


def test_every_shape_is_published_exactly(project: Path):
    from assets.publication import publish_all

    published_shapes = list(SHAPES)
    if _tesseract_fra():
        published_shapes.append(SCAN_SHAPE)
    for region_folder, region, year, name, make, _ in published_shapes:
        c = contribute(project, make(folder(project, region_folder, year) / name), region, year)
        assert c.exit_code == 0, c.validated
    # The démarches-simplifiées export: its publishable copy goes in, the export itself leaves raw/.
    export = shapes.ds_export(folder(project, "bretagne", 2021) / "export-ds.csv")
    assert cli("new-source", export, "--region", "53", "--year", "2021").exit_code == 0
    export.rename(project / "export-ds-prive.csv")
    fill_provenance(export.with_name("export-ds-publiable.yaml"))
    published_shapes.append(
        ("bretagne", "53", 2021, "export-ds-publiable.csv", None, shapes.DS_LINES)
    )
    # A second source of the Île-de-France campaign announces another total than the list's manifest.
    figures = folder(project, "ile-de-france", 2024) / "communique.csv"
    figures.write_text("Campagne;Montant total\nAppel fictif;40 000 €\n", encoding="utf-8")
    figures.with_suffix(".yaml").write_text(
        "source: {publisher: ARS fictive (éditeur de test), url: https://exemple.invalid/communique, "
        "retrieved: 2026-11-22}\nregion: '11'\nyear: 2024\n"
        "campaign: {id: ile-de-france-2024-aap, title: Appel fictif}\ntable: campaigns\n"
        "columns: {declared_total_eur: Montant total}\n",
        encoding="utf-8",
    )
    manifest = folder(project, "ile-de-france", 2024) / "laureats-cofinances.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "# declared:", "declared:\n  total_amount_eur: 35000\n# declared (brouillon) :", 1
        ),
        encoding="utf-8",
    )

    outcome = publish_all(project)
    assert outcome.ok, outcome.lines
    assert any(line.startswith("Entre sources, à relire (conflits") for line in outcome.lines)
    assert any(
        "campagne ile-de-france-2024-aap : declared_total_eur vaut 40000.0" in line
        for line in outcome.lines
    )

    awards = pd.read_csv(
        project / "published" / "data" / "awards.csv", dtype={"department_code": str}
    )
    for region_folder, _, year, name, _, expected in published_shapes:
        mine = awards[awards["source_id"] == f"{region_folder}/{year}/{Path(name).stem}"]
        got = [
            (
                r.beneficiary_name,
                r.project_title,
                r.department_code,
                r.funder,
                None if pd.isna(r.amount_eur) else float(r.amount_eur),
            )
            for r in mine.itertuples()
        ]
        assert sorted(got, key=str) == sorted(expected, key=str), name
    assert not (awards["amount_eur"] == 0).any()
    sources = pd.read_csv(project / "published" / "data" / "sources.csv").set_index("source_id")
    for region_folder, _, year, name, _, _ in published_shapes:
        assert sources.loc[f"{region_folder}/{year}/{Path(name).stem}", "status"] == "ok"
    methods = sources["method"].dropna()
    assert set(methods) <= {"text", "ocr"} and (methods == "ocr").sum() == (
        len(published_shapes) - len(SHAPES) - 1
    )
    assert not (project / "raw" / "bretagne" / "2021" / "export-ds.csv").exists()


def test_headers_as_written_in_the_wild(tmp_path: Path):
    data = shapes.spelled_csv(folder(tmp_path, "ile-de-france", 2023) / "laureats-intitules.csv")
    c = contribute(tmp_path, data, "11", 2023)
    assert yaml.safe_load(c.draft)["columns"] == {
        "beneficiary_name": "Nom de l'organisme",
        "project_title": "Action financée",
        "department": "Département de mise en œuvre du projet",
        "amount_eur": "Montant de l'aide",
    }
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shapes.SPELLED_LINES
    assert not [w for w in c.staged.warnings if w.code == "no_project_title"]

    # A list without any project title: accepted, with a warning that says what is missing.
    untitled = folder(tmp_path, "ile-de-france", 2023) / "sans-intitule.csv"
    untitled.write_text(shapes.UNTITLED_CSV, encoding="utf-8")
    c = contribute(tmp_path, untitled, "11", 2023)
    assert c.exit_code == 0, c.validated
    assert [w.code for w in c.staged.warnings] == ["no_project_title"]
    assert "aucune colonne n'est associée à l'intitulé du projet" in c.validated


def _tesseract_fra() -> bool:
    import shutil
    import subprocess

    program = shutil.which("tesseract")
    return (
        bool(program)
        and "fra"
        in subprocess.run([program, "--list-langs"], capture_output=True, text=True).stdout.split()
    )


needs_tesseract = pytest.mark.skipif(
    not _tesseract_fra() and not os.environ.get("CI"),
    reason="Tesseract et son modèle français absents (apt-get install tesseract-ocr tesseract-ocr-fra) ; "
    "installés en CI par .ci/run",
)


@needs_tesseract
def test_scanned_pdf_read_by_ocr(tmp_path: Path):
    data = shapes.scanned_pdf(
        folder(tmp_path, "bourgogne-franche-comte", 2024) / "laureats-scan.pdf"
    )
    c = contribute(tmp_path, data, "27", 2024)
    assert f"total_amount_eur: {shapes.SCAN_TOTAL:.2f}" in c.draft
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shapes.SCAN_LINES
    assert c.staged.source["method"] == "ocr"
    ocr = [w for w in c.staged.warnings if w.code == "ocr"]
    assert [w.message for w in ocr] == [
        "PDF scanné : texte lu par reconnaissance de caractères (OCR, Tesseract) ; la somme des montants lus "
        "(24\u202f750,00 €) est celle de la ligne « TOTAL » du document"
    ]
    assert "OCR" in c.validated

    # Amounts that do not make up the document's TOTAL: validate says so and refuses.
    shapes.scanned_pdf(data, total="25 750 euros")
    checked = cli("validate", c.manifest)
    assert checked.exit_code == 1
    assert "montants lus par OCR : la ligne « TOTAL » annonce 25\u202f750,00 €" in checked.output


def test_scanned_pdf_without_tesseract_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    data = shapes.scanned_pdf(
        folder(tmp_path, "bourgogne-franche-comte", 2024) / "laureats-scan.pdf"
    )
    monkeypatch.setenv("PATH", str(tmp_path / "sans-tesseract"))  # no tesseract on this PATH
    result = cli("new-source", data, "--region", "27", "--year", "2024")
    assert result.exit_code == 2
    assert (
        "PDF scanné" in result.output
        and "apt-get install tesseract-ocr tesseract-ocr-fra" in result.output
    )


def test_demarches_simplifiees_export(tmp_path: Path):
    from tests.fixtures_gen import DS_HEADERS

    export = shapes.ds_export(folder(tmp_path, "bretagne", 2021) / "export-ds.csv")
    drafted = cli("new-source", export, "--region", "53", "--year", "2021")
    assert drafted.exit_code == 0, drafted.output
    copy = export.with_name("export-ds-publiable.csv")
    manifest = copy.with_suffix(".yaml")
    assert copy.exists() and manifest.exists() and not export.with_suffix(".yaml").exists()
    assert "GARDER L'ORIGINAL export-ds.csv PRIVÉ" in drafted.output
    draft = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert draft["filter"] == {"column": "État du dossier", "keep": ["accepté"]}
    assert draft["columns"]["amount_eur"] == "Montant accordé"  # never « Montant demandé »
    # The copy holds no person: no civility, names, e-mails or phones, in any cell.
    published_headers = copy.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert published_headers == [
        h
        for h in DS_HEADERS
        if h
        not in (
            "Email",
            "Civilité",
            "Nom",
            "Prénom",
            "Instructeurs",
            "Téléphone du porteur",
            "Adresse électronique du référent",
        )
    ]
    text = copy.read_text(encoding="utf-8")
    assert not re.search(r"@|06 12 34|Nomfictif|Prénomfictif|\bMme\b|\bM\.", text)

    export.rename(tmp_path / "export-ds-prive.csv")  # as new-source says: the original leaves raw/
    fill_provenance(manifest)
    checked = cli("validate", manifest.parent)
    assert checked.exit_code == 0, checked.output
    staged = stage_source(manifest, tmp_path / "raw")
    assert (
        lines_of(staged) == shapes.DS_LINES
    )  # refused, abandoned and pending dossiers never go through
    assert [s.row for s in staged.skipped if s.kind == "filtered"] == [3, 4, 5, 8, 9]


def test_the_guide_shows_the_pattern_new_source_writes():
    from pipelines.read.readers.items import DEFAULT_PATTERN
    from tests.conftest import REPO

    guide = (REPO / "raw" / "README.md").read_text(encoding="utf-8")
    [line] = [x for x in guide.splitlines() if x.startswith("  items: ")]
    assert yaml.safe_load(line.strip())["items"] == DEFAULT_PATTERN


def test_header_over_two_rows_in_a_csv(tmp_path: Path):
    """The same header exported to CSV: the spanning label once, its sub-labels on the next line."""
    data = folder(tmp_path, "centre-val-de-loire", 2025) / "laureats-deux-lignes.csv"
    lines = [
        "Porteur du projet;Intitulé du projet;Département;Montant accordé (€);;",
        ";;;ARS;DREETS;Commissaire",
    ]
    lines += [
        ";".join("" if v is None else str(v).replace(".", ",") for v in award)
        for award in shapes.TWO_ROW_AWARDS
    ]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    c = contribute(tmp_path, data, "24", 2025)
    assert "header_row: 1" in c.draft and "header_rows: 2" in c.draft
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shapes.TWO_ROW_LINES
