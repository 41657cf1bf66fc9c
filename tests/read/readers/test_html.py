"""HTML pages: the right <table> among several, colspan and rowspan expanded."""

from __future__ import annotations

from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.html import read_html
from tests.fixtures_gen import counts, html_manifest, html_page, kinds

EXPECTED = [  # (row in its table, funder, amount, département) — Finistère spans two rows
    (3, "ARS", 12500.0, "29"),
    (3, "DREETS", 2000.0, "29"),
    (4, "ARS", 3000.0, "29"),
    (5, "ARS", 8000.0, "35"),
    (5, "DREETS", 1500.25, "35"),
]


def test_the_table_with_the_manifest_headers_is_read(stage):
    staged = stage("laureats-fictifs", html_page(), html_manifest(), ext="html")

    assert staged.status == "ok", staged.source["message"]
    assert counts(staged) == (7, 3, 0, 4)  # the navigation table is read and skipped, not lost
    assert kinds(staged) == {"header": 2, "total": 1, "other_table": 1}
    rows = staged.rows
    assert (
        list(zip(rows["source_row"], rows["funder"], rows["amount_eur"], rows["department_code"]))
        == EXPECTED
    )
    assert (
        rows["beneficiary_name"].iloc[0] == "Association fictive Les Petits Pas"
    )  # <br> is a space
    # its Total line is right; only the missing project title is pointed out
    assert [w.code for w in staged.warnings] == ["no_project_title"]
    assert staged.rejects.empty


def test_the_table_can_be_named_by_position(stage):
    staged = stage("laureats-fictifs", html_page(), html_manifest(table=2), ext="html")
    assert staged.status == "ok"
    assert len(staged.rows) == 5

    wrong = stage("mauvais-tableau", html_page(), html_manifest(table=1), ext="html")
    assert wrong.status == "unreadable" and "aucune ligne d'en-tête" in wrong.error.message

    absent = stage("tableau-absent", html_page(), html_manifest(table=4), ext="html")
    assert absent.status == "unreadable"
    assert absent.error.message == "read.table 4 : la page n'a que 2 tableau(x)"


def test_spans_are_expanded(tmp_path):
    path = tmp_path / "fictif.html"
    path.write_text(html_page(), encoding="utf-8")
    rows = read_html(path, ReadOptions())
    assert [r.place for r in rows] == ["tableau 1"] + ["tableau 2"] * 6
    assert rows[1].cells == (
        "Porteur du projet",
        "Département",
        "Montant accordé",
        "Montant accordé",
    )
    assert rows[4].cells == ("Association fictive du Léon", "Finistère", "3 000 €", None)


def test_a_cp1252_page_with_its_meta_charset(stage):
    data = html_page("windows-1252").encode("cp1252")
    staged = stage("laureats-fictifs", data, html_manifest(), ext="html")
    assert staged.status == "ok"
    assert "Crèche fictive Arc-en-ciel" in staged.rows["beneficiary_name"].tolist()
