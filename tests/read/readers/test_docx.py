"""Word documents: every table with its place, merged cells carried, the cell's text as Word shows
it, nested tables, and bad or hostile files refused with a French message. Every document here is
fictitious, its tables written as WordprocessingML by hand where python-docx has no call for them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipelines.common.problems import SourceError
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers import docx as reader
from pipelines.read.readers.docx import read_docx
from tests.fixtures_gen import HEADERS, manifest

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def tc(text: str = "", props: str = "", inner: str = "") -> str:
    runs = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{p}</w:t></w:r></w:p>" for p in [text])
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{runs}{inner}</w:tc>"


def tbl(*rows: str) -> str:
    return f"<w:tbl {W}><w:tblPr/>{''.join(rows)}</w:tbl>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def header_row() -> str:
    return tr(*(tc(h) for h in HEADERS))


def write_docx(path: Path, *tables: str, between: str = "Paragraphe fictif") -> Path:
    """A document whose body holds the tables given as XML, a paragraph before each."""
    from docx import Document
    from docx.oxml import parse_xml

    document = Document()
    for xml in tables:
        document.add_paragraph(between)
        document.element.body.append(parse_xml(xml))
    body = document.element.body
    body.append(body.sectPr)  # the section properties close the body
    document.save(str(path))
    return path


def read(path: Path, **options) -> list[tuple[int, str | None, tuple[str | None, ...]]]:
    return [(r.number, r.place, r.cells) for r in read_docx(path, ReadOptions(**options))]


def test_merges_carry_their_value_into_every_cell(tmp_path: Path):
    span2 = "<w:gridSpan w:val='2'/>"
    down, more = "<w:vMerge w:val='restart'/>", "<w:vMerge/>"
    path = write_docx(
        tmp_path / "fusions-fictif.docx",
        tbl(
            tr(tc("Porteur du projet"), tc("Montant accordé", span2), tc("Département")),
            tr(tc("Association fictive A"), tc("1 000 €"), tc("2 000 €"), tc("Finistère", down)),
            tr(tc("Association fictive B"), tc("3 000 €", span2), tc("", more)),
            # A row starting one column late, and a merge across written the old way (hMerge).
            tr(
                tc("x"),
                tc("y", "<w:hMerge w:val='restart'/>"),
                tc("", "<w:hMerge/>"),
                props="<w:gridBefore w:val='1'/>",
            ),
        ),
    )
    assert [cells for _, _, cells in read(path)] == [
        ("Porteur du projet", "Montant accordé", "Montant accordé", "Département"),
        ("Association fictive A", "1 000 €", "2 000 €", "Finistère"),
        ("Association fictive B", "3 000 €", "3 000 €", "Finistère"),
        (None, "x", "y", "y"),
    ]


def test_a_cell_reads_as_word_shows_it(tmp_path: Path):
    runs = (
        "<w:p><w:r><w:t>Crèche</w:t><w:tab/><w:t>fictive de</w:t><w:br/><w:t>Saint</w:t>"
        "<w:noBreakHyphen/><w:t>Brieuc</w:t></w:r>"
        "<w:del><w:r><w:delText>SUPPRIMÉ</w:delText><w:tab/></w:r></w:del>"
        "<w:ins><w:r><w:t xml:space='preserve'> ajoutée</w:t></w:r></w:ins>"
        "<w:r><w:br w:type='page'/></w:r></w:p><w:p><w:r><w:t>second paragraphe</w:t></w:r></w:p>"
    )
    cell = f"<w:tc><w:tcPr/>{runs}</w:tc>"
    path = write_docx(tmp_path / "texte-fictif.docx", tbl(tr(cell, tc("12 000 €"))))
    assert read(path) == [
        (
            1,
            "tableau 1",
            ("Crèche fictive de Saint-Brieuc ajoutée second paragraphe", "12 000 €"),
        )
    ]


def test_a_nested_table_is_a_table_of_its_own_and_stays_in_its_cell(tmp_path: Path):
    nested = tbl(tr(tc("ARS"), tc("5 000 €")), tr(tc("DREETS"), tc("3 000 €")))
    path = write_docx(
        tmp_path / "imbrique-fictif.docx",
        tbl(
            tr(tc("Porteur du projet"), tc("Montant accordé")),
            tr(tc("Association fictive"), tc("Cofinancé :", inner=nested)),
        ),
    )
    assert read(path) == [
        (1, "tableau 1", ("Porteur du projet", "Montant accordé")),
        (2, "tableau 1", ("Association fictive", "Cofinancé : ARS 5 000 € DREETS 3 000 €")),
        (1, "tableau 2", ("ARS", "5 000 €")),
        (2, "tableau 2", ("DREETS", "3 000 €")),
    ]


def test_a_list_laid_out_in_a_frame_table_is_found_by_its_header(stage, tmp_path: Path):
    rows = [
        header_row(),
        tr(tc("Association fictive du Léon"), tc("Projet fictif"), tc("29"), tc("5 000 €")),
        tr(tc("Crèche fictive de Vannes"), tc("Éveil fictif"), tc("Morbihan"), tc("2 500,50 €")),
    ]
    frame = tbl(tr(tc("Lauréats fictifs", inner=tbl(*rows))))
    data = write_docx(tmp_path / "cadre-fictif.docx", frame).read_bytes()
    staged = stage("cadre-fictif", data, manifest(), ext="docx")
    assert staged.status == "ok", staged.source["message"]
    assert staged.rows["beneficiary_name"].tolist() == [
        "Association fictive du Léon",
        "Crèche fictive de Vannes",
    ]
    assert staged.rows["amount_eur"].tolist() == [5000.0, 2500.5]
    assert [s.kind for s in staged.skipped] == ["other_table", "header"]


def test_the_table_can_be_named_by_position(tmp_path: Path):
    path = write_docx(
        tmp_path / "rang-fictif.docx", tbl(tr(tc("a"), tc("b"))), tbl(tr(tc("c"), tc("d")))
    )
    assert read(path, table=2) == [(1, "tableau 2", ("c", "d"))]
    with pytest.raises(SourceError) as refused:
        read_docx(path, ReadOptions(table=3))
    assert refused.value.message == "read.table 3 : le document n'a que 2 tableau(x)"


def encrypted_docx(path: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_docx(path.with_name("clair-fictif.docx"), tbl(tr(tc("a"), tc("b"))))
    with plain.open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt("fictif", out)
    return path


def renamed_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    Workbook().save(path)
    return path


def bare_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("lisez-moi.txt", "archive fictive")
    return path


def cut_xml(path: Path) -> Path:
    whole = write_docx(path.with_name("entier-fictif.docx"), tbl(tr(tc("a"), tc("b"))))
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(path, "w") as out:
        for member in src.infolist():
            data = src.read(member)
            cut = member.filename == "word/document.xml"
            out.writestr(member, data[: len(data) // 2] if cut else data)
    return path


def deep_tables(path: Path) -> Path:
    xml = tbl(tr(tc("fond")))
    for _ in range(reader.MAX_DEPTH):
        xml = tbl(tr(tc("niveau", inner=xml)))
    return write_docx(path, xml)


def holding(data: bytes):
    def write(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return write


BAD = {  # name: (writer, what the message says)
    "vide": (holding(b""), "fichier vide"),
    "texte": (holding(b"Liste fictive"), "ce n'est pas un document Word"),
    "pdf": (holding(b"%PDF-1.4 fictif"), "c'est un PDF"),
    "doc-97": (
        holding(reader.OLE_SIGNATURE + b"\x00" * 600),
        "format Word 97-2003 (.doc)",
    ),
    "chiffre": (encrypted_docx, "document Word protégé par un mot de passe"),
    "zip-casse": (
        holding(b"PK\x03\x04" + bytes(range(256)) * 4),
        "document Word corrompu",
    ),
    "zip-nu": (bare_zip, "document Word corrompu"),
    "xml-coupe": (cut_xml, "document Word corrompu"),
    "classeur": (renamed_xlsx, "ce n'est pas un document Word (.docx)"),
    "profond": (deep_tables, "tableaux imbriqués sur 6 niveaux"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_document_is_refused_in_french(tmp_path: Path, name: str):
    write, message = BAD[name]
    path = write(tmp_path / f"{name}-fictif.docx")
    with pytest.raises(SourceError) as refused:
        read_docx(path, ReadOptions())
    assert message in refused.value.message
    assert refused.value.fix and "Error" not in refused.value.message


def test_a_document_too_large_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = write_docx(tmp_path / "gros-fictif.docx", tbl(tr(tc("a"), tc("b"))))
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("word/document.xml").file_size
    monkeypatch.setattr(reader, "MAX_DOCUMENT_BYTES", size - 1)
    with pytest.raises(SourceError) as refused:
        read_docx(path, ReadOptions())
    assert "au-delà de la limite" in refused.value.message


def test_a_bad_document_stops_its_source_only(stage):
    staged = stage("vide-fictif", b"", manifest(), ext="docx")
    assert staged.status == "unreadable" and staged.error.message == "fichier vide"
    assert staged.source["format"] == "docx"
