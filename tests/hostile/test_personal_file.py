"""Personal data anywhere in a file is found, as a document inspector finds it, and holds the source
back with where to look: a hidden sheet, another sheet, a hidden column, a cell comment, an ODS
annotation, the document's author, a footer under an HTML table, a PDF page outside `read.pages`.
The same files without the data are accepted. Every value is fictitious (tests/hostile/hiding_places.py).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from assets.cli import main
from pipelines.stage.publishable import refusal
from pipelines.stage.quality import PERSONAL_CODES
from pipelines.stage.source import stage_source
from tests.hostile import hiding_places as hide

SPELLINGS = {  # several spellings of the data hidden, each a different kind
    "e-mail": "jeanne.fictive@exemple.invalid",
    "e-mail spelled": "jeanne.fictive [at] exemple.invalid",
    "full-width": "０６ ９９ ８８ ７７ ６６",
    "foreign phone": "+44 20 7946 0958",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "title": "Dr Jeanne Fictive",
    "address": "12 rue des Fictifs",
    "birth": "née le 12/03/1985",
}


def _stage(tmp_path: Path, ext: str, write, manifest: str):
    folder = tmp_path / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    write(folder / f"liste-fictive.{ext}")
    (folder / "liste-fictive.yaml").write_text(manifest, encoding="utf-8")
    return stage_source(folder / "liste-fictive.yaml", tmp_path / "raw")


def _personal(staged) -> list:
    assert staged.error is None, staged.error
    return [w for w in staged.warnings if w.code in PERSONAL_CODES]


PLACES = [  # (ext, writer, where, manifest read keys, the place the warning names)
    ("xlsx", hide.xlsx, "hidden_sheet", {}, "feuille masquée « Contacts », cellule B4"),
    ("xlsx", hide.xlsx, "sheet", {}, "feuille « Notes », cellule C2"),
    (
        "xlsx",
        hide.xlsx,
        "sheet_hidden_row",
        {},
        "feuille « Notes », cellule C2 (ligne masquée, colonne masquée)",
    ),
    ("xlsx", hide.xlsx, "comment", {}, "commentaire de la cellule C5 (feuille « Lauréats »)"),
    ("ods", hide.ods, "hidden_sheet", {}, "feuille masquée « Contacts », cellule B4"),
    ("ods", hide.ods, "annotation", {}, "commentaire de la cellule C5 (feuille « Lauréats »)"),
    ("html", hide.html, "footer", {}, "texte de la page HTML sous le tableau"),
    ("html", hide.html, "comment", {}, "commentaire invisible de la page HTML"),
    ("pdf", hide.pdf, "page", {"pages": "1"}, "page 3 du PDF"),
    ("docx", hide.docx, "text", {}, "texte du document Word hors du tableau"),
    ("docx", hide.docx, "footer", {}, "en-tête ou pied de page du document Word"),
]


@pytest.mark.parametrize(("ext", "write", "where", "read", "place"), PLACES)
@pytest.mark.parametrize("spelling", ["e-mail", "foreign phone", "title", "address"])
def test_each_hiding_place_holds_the_source_back_and_says_where(
    tmp_path: Path, ext, write, where, read, place, spelling
):
    secret = SPELLINGS[spelling]
    staged = _stage(tmp_path, ext, lambda p: write(p, secret, where), hide.manifest(**read))
    found = _personal(staged)
    assert [w.place for w in found] == [place], [(w.place, w.message) for w in found]
    assert "donnée personnelle" in found[0].message and place in found[0].message
    assert secret not in f"{found[0].value} {found[0].message}"  # masked, never copied
    error = refusal(staged)
    assert error is not None and error.status == "refused"
    assert place in error.message and "source non publiée" in error.message


@pytest.mark.parametrize(("ext", "write", "where", "read", "place"), PLACES)
def test_the_same_file_without_the_data_is_accepted(tmp_path: Path, ext, write, where, read, place):
    staged = _stage(tmp_path, ext, lambda p: write(p, None, where), hide.manifest(**read))
    assert _personal(staged) == []
    assert refusal(staged) is None


def test_a_hidden_column_of_the_read_sheet_is_found_by_the_reading(tmp_path: Path):
    staged = _stage(
        tmp_path,
        "xlsx",
        lambda p: hide.xlsx(p, SPELLINGS["e-mail"], "hidden_column"),
        hide.manifest(),
    )
    assert [w.code for w in _personal(staged)] == ["personal_email"]


@pytest.mark.parametrize(
    ("ext", "write", "place"),
    [
        ("xlsx", hide.xlsx, "propriétés du document : auteur"),
        ("ods", hide.ods, "propriétés du document : auteur"),
        ("html", hide.html, "propriétés de la page HTML : auteur"),
        ("pdf", hide.pdf, "propriétés du document PDF : auteur"),
        ("docx", hide.docx, "propriétés du document : auteur"),
    ],
)
@pytest.mark.parametrize("author", ["Jeanne Fictive", "Jean-Paul DUFICTIF"])
def test_a_person_as_the_documents_author_is_refused(tmp_path: Path, ext, write, place, author):
    read = {"pages": "1"} if ext == "pdf" else {}
    staged = _stage(tmp_path, ext, lambda p: write(p, author, "author"), hide.manifest(**read))
    found = _personal(staged)
    assert [(w.place, w.code) for w in found] == [(place, "personal_name")]
    assert found[0].message.startswith("nom de personne dans le fichier")
    assert "propriétés du document" in found[0].fix
    assert author not in found[0].value


@pytest.mark.parametrize(
    "author",
    [
        "ARS Normandie",
        "DREETS Occitanie",
        "Microsoft Office User",
        "openpyxl",
        "Agence Régionale de Santé",
    ],
)
def test_an_organisation_as_the_documents_author_is_not_personal(tmp_path: Path, author: str):
    staged = _stage(
        tmp_path, "xlsx", lambda p: hide.xlsx(p, None, "author", author), hide.manifest()
    )
    assert _personal(staged) == []


@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_every_new_spelling_is_found_in_a_hidden_sheet(tmp_path: Path, spelling: str):
    secret = SPELLINGS[spelling]
    staged = _stage(
        tmp_path, "xlsx", lambda p: hide.xlsx(p, secret, "hidden_sheet"), hide.manifest()
    )
    assert [w.place for w in _personal(staged)] == ["feuille masquée « Contacts », cellule B4"]


def test_validate_names_the_place_and_the_fix_and_exits_1(tmp_path: Path):
    folder = tmp_path / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    hide.xlsx(folder / "liste-fictive.xlsx", SPELLINGS["iban"], "hidden_sheet")
    (folder / "liste-fictive.yaml").write_text(hide.manifest(), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1, result.output
    assert "feuille masquée « Contacts », cellule B4" in result.output
    assert "IBAN dans le fichier" in result.output
    assert "retirer ces données de la feuille" in result.output
    assert "3000 6000" not in result.output


def test_the_author_of_a_threaded_comment_is_named_as_such(tmp_path: Path):
    def write(path: Path) -> None:
        hide.xlsx(path, None, "comment")
        with zipfile.ZipFile(path, "a") as archive:  # as Excel 365 stores its comments' authors
            archive.writestr(
                "xl/persons/person.xml",
                '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
                'threadedcomments"><person displayName="Jeanne Fictive" id="{0}"/></personList>',
            )

    staged = _stage(tmp_path, "xlsx", write, hide.manifest())
    assert [(w.place, w.code) for w in _personal(staged)] == [
        ("auteur d'un commentaire", "personal_name")
    ]


@pytest.mark.parametrize("spelling", ["e-mail", "title"])
def test_data_in_the_read_table_is_said_once_at_its_row(tmp_path: Path, spelling: str):
    staged = _stage(
        tmp_path, "html", lambda p: hide.html(p, SPELLINGS[spelling], "cell"), hide.manifest()
    )
    found = _personal(staged)
    assert [(w.column, w.row is not None) for w in found] == [("Observations", True)]
