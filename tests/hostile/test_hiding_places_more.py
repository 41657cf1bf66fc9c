"""Three more places a document inspector looks: the document's custom properties (« Contact »),
the annotations of a PDF's pages and their authors, a phone typed as a number (its 0 lost) in a sheet
the reading does not look at. Each holds the source back and says where to look; the same file
without the data is accepted. Every value is fictitious (tests/hostile/hiding_places.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assets.cli import main
from tests.hostile import hiding_places as hide


def _validate(tmp_path: Path, ext: str, write, **read):
    folder = tmp_path / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    write(folder / f"liste-fictive.{ext}")
    (folder / "liste-fictive.yaml").write_text(hide.manifest(**read), encoding="utf-8")
    return CliRunner().invoke(main, ["validate", str(folder)])


def _refused(result, place: str, *said: str) -> None:
    assert result.exit_code == 1, result.output
    assert place in result.output, result.output
    assert "DONNÉE PERSONNELLE" in result.output.upper(), result.output
    for words in said:
        assert words in result.output, result.output


def _accepted(result) -> None:
    assert result.exit_code == 0, result.output
    assert "donnée personnelle" not in result.output.lower(), result.output


# --- custom document properties -------------------------------------------------------------------

CUSTOM = [("xlsx", hide.xlsx), ("ods", hide.ods), ("docx", hide.docx)]


@pytest.mark.parametrize(("ext", "write"), CUSTOM)
@pytest.mark.parametrize("name", ["Contact", "Rédigé par", "Référente", "DocOwner"])
def test_a_person_named_in_a_custom_property_is_refused(tmp_path: Path, ext, write, name):
    result = _validate(
        tmp_path, ext, lambda p: write(p, "Jeanne Fictive", "custom_property", property_name=name)
    )
    _refused(
        result,
        f"propriétés personnalisées du document : {name}",
        "nom de personne",
        "propriété personnalisée",
    )
    assert "Jeanne Fictive" not in result.output


@pytest.mark.parametrize(("ext", "write"), CUSTOM)
def test_an_e_mail_in_any_custom_property_is_refused(tmp_path: Path, ext, write):
    secret = "jeanne.fictive@exemple.invalid"
    result = _validate(
        tmp_path, ext, lambda p: write(p, secret, "custom_property", property_name="Service")
    )
    _refused(result, "propriétés personnalisées du document : Service")
    assert secret not in result.output


@pytest.mark.parametrize(("ext", "write"), CUSTOM)
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Contact", None),  # a service, not a person
        ("Service", "Jeanne Fictive"),  # a name where the property does not say a person
    ],
)
def test_custom_properties_without_personal_data_are_accepted(
    tmp_path: Path, ext, write, name, value
):
    _accepted(
        _validate(tmp_path, ext, lambda p: write(p, value, "custom_property", property_name=name))
    )


# --- PDF annotations ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["text", "free_text"])
def test_an_annotation_on_any_page_of_a_pdf_is_refused(tmp_path: Path, kind: str):
    secret = "jeanne.fictive@exemple.invalid"
    result = _validate(
        tmp_path, "pdf", lambda p: hide.pdf(p, secret, f"annotation_{kind}"), pages="1"
    )
    _refused(result, "annotation de la page 2 du PDF", "supprimer cette annotation")
    assert secret not in result.output


def test_the_author_of_a_pdf_annotation_is_refused(tmp_path: Path):
    result = _validate(
        tmp_path, "pdf", lambda p: hide.pdf(p, None, "annotation_text", "Jeanne Fictive"), pages="1"
    )
    _refused(result, "auteur d'une annotation de la page 2 du PDF", "nom de personne")
    assert "Jeanne Fictive" not in result.output


@pytest.mark.parametrize("kind", ["text", "free_text", "form_field"])
def test_an_annotation_without_personal_data_is_accepted(tmp_path: Path, kind: str):
    _accepted(
        _validate(tmp_path, "pdf", lambda p: hide.pdf(p, None, f"annotation_{kind}"), pages="1")
    )


# --- a phone typed as a number in a sheet not read ------------------------------------------------


@pytest.mark.parametrize(("ext", "write"), [("xlsx", hide.xlsx), ("ods", hide.ods)])
@pytest.mark.parametrize("header", ["Téléphone", "Tél. portable", "N° de tel", "Mobile"])
def test_a_phone_typed_as_a_number_under_a_phone_header_is_refused(
    tmp_path: Path, ext, write, header
):
    result = _validate(
        tmp_path, ext, lambda p: write(p, None, "number", number=(header, 612345678))
    )
    _refused(result, "feuille masquée « Contacts », cellule B4", "téléphone")
    assert "612345678" not in result.output


@pytest.mark.parametrize(("ext", "write"), [("xlsx", hide.xlsx), ("ods", hide.ods)])
@pytest.mark.parametrize(
    ("header", "number"),
    [
        ("SIREN", 612345678),  # 9 digits, a company's number
        ("Téléphone", 61234567.5),  # not a whole number
        ("Téléphone", 12345678),  # 8 digits
        ("Montant accordé", 612345678),
    ],
)
def test_other_numbers_are_not_phones(tmp_path: Path, ext, write, header, number):
    _accepted(_validate(tmp_path, ext, lambda p: write(p, None, "number", number=(header, number))))
