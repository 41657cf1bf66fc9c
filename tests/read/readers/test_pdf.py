"""PDF lists, with and without ruling lines, over several pages, cells wrapped over two lines."""

from __future__ import annotations

import pytest

from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.pdf import parse_pages, read_pdf
from tests.fixtures_gen import AWARDS as FIVE
from tests.fixtures_gen import (
    counts,
    file_bytes,
    kinds,
    manifest,
    pdf_awards,
    write_pdf,
    write_pdf_cell_by_cell,
    write_pdf_with_merged_cell,
    write_pdf_without_table,
)

AWARDS = pdf_awards(70)  # three A4 pages


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    return {
        ruled: write_pdf(folder / f"fictif-{ruled}.pdf", AWARDS, ruled=ruled).read_bytes()
        for ruled in (True, False)
    }


@pytest.mark.parametrize("ruled", [True, False], ids=["lignes", "sans-lignes"])
def test_every_row_of_every_page_is_read_with_wrapped_cells_whole(stage, pdfs, ruled):
    staged = stage("laureats-fictifs", pdfs[ruled], manifest(), ext="pdf")

    assert staged.status == "ok", staged.source["message"]
    rows = staged.rows
    assert len(rows) == 70
    assert rows["beneficiary_name"].tolist() == [a.name for a in AWARDS]
    assert rows["project_title"].tolist() == [
        a.title for a in AWARDS
    ]  # wrapped titles back in one cell
    assert rows["project_title"].iloc[2] == (
        "Projet fictif n°3 d'accompagnement des familles pendant les mille premiers jours"
    )
    assert rows["department_code"].tolist() == [a.department_code for a in AWARDS]
    assert rows["amount_eur"].sum() == sum(a.amount_eur for a in AWARDS) == 691250.0
    # The header repeated at the top of pages 2 and 3 is skipped, not rejected.
    if ruled:  # only the table is ruled: the title and the note are outside it
        assert counts(staged) == (73, 70, 0, 3) and kinds(staged) == {"header": 3}
    else:  # the title above and the footnote below are read too, and set aside
        assert counts(staged) == (75, 70, 0, 5) and kinds(staged) == {
            "title": 1,
            "header": 3,
            "note": 1,
        }
    places = dict(zip(rows["beneficiary_name"], staged.rows["source_row"]))
    assert (
        places["Association fictive n°1"] < places["Association fictive n°70"]
    )  # numbered through the file


@pytest.mark.parametrize("ruled", [True, False], ids=["lignes", "sans-lignes"])
def test_rows_know_their_page(tmp_path, pdfs, ruled):
    path = tmp_path / "fictif.pdf"
    path.write_bytes(pdfs[ruled])
    rows = read_pdf(path, ReadOptions())
    first = {r.cells[0]: r.place for r in rows if r.cells[0]}
    assert first["Association fictive n°1"] == "page 1"
    assert first["Association fictive n°70"] == "page 3"
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize("pages", ["2-3", "2,3", "2-"])
def test_read_pages(stage, pdfs, pages):
    staged = stage("laureats-fictifs", pdfs[True], manifest(read={"pages": pages}), ext="pdf")
    assert staged.status == "ok", staged.source["message"]
    # The header repeated on page 2 is the header; the rows of page 1 are not read.
    assert staged.rows["beneficiary_name"].iloc[0] != "Association fictive n°1"
    assert staged.rows["beneficiary_name"].iloc[-1] == "Association fictive n°70"
    assert 30 < len(staged.rows) < 70


def test_parse_pages(tmp_path):
    assert parse_pages(tmp_path, "1-3", 5) == [1, 2, 3]
    assert parse_pages(tmp_path, "2, 4", 5) == [2, 4]
    assert parse_pages(tmp_path, "4-", 5) == [4, 5]
    assert parse_pages(tmp_path, None, 2) == [1, 2]


@pytest.mark.parametrize(
    ("spec", "message"), [("7", "n'a que 3 page(s)"), ("deux", "illisible"), ("3-1", "n'a que")]
)
def test_wrong_pages_say_so(stage, pdfs, spec, message):
    staged = stage("laureats-fictifs", pdfs[True], manifest(read={"pages": spec}), ext="pdf")
    assert staged.status == "unreadable"
    assert message in staged.error.message and staged.error.place == "manifeste, read.pages"


def test_a_pdf_without_a_table_says_so(stage):
    staged = stage(
        "communique-fictif", file_bytes(write_pdf_without_table, ".pdf"), manifest(), ext="pdf"
    )
    assert staged.status == "unreadable"
    assert staged.error.message.startswith("aucun tableau trouvé dans le PDF")
    assert "tableur" in staged.error.fix
    assert "communique-fictif.pdf" in staged.source["message"]


@pytest.mark.parametrize(
    "writer",
    [write_pdf_cell_by_cell, write_pdf_with_merged_cell],
    ids=["bordures-par-cellule", "cellule-fusionnee"],
)
def test_other_ruled_layouts(stage, writer):
    staged = stage("laureats-fictifs", file_bytes(writer, ".pdf"), manifest(), ext="pdf")
    assert staged.status == "ok", staged.source["message"]
    assert staged.rows["beneficiary_name"].tolist() == [a.name for a in FIVE]
    assert staged.rows["amount_eur"].tolist() == [a.amount_eur for a in FIVE]
    assert staged.rows["department_code"].tolist() == [a.department_code for a in FIVE]
    assert staged.warnings == []  # the merged TOTAL line is read, set aside, and right
