"""ODS as LibreOffice stores it: repeated rows and columns, spanned and covered cells."""

from __future__ import annotations

from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.ods import read_ods
from tests.fixtures_gen import counts, file_bytes, kinds, ods_manifest, write_ods


def test_repeated_rows_and_columns_are_expanded_and_trailing_padding_dropped(tmp_path):
    rows = list(read_ods(write_ods(tmp_path / "fictif.ods"), ReadOptions()))
    assert len(rows) == 9  # not 1009: the 1000 blank rows LibreOffice stores at the end are padding
    assert [r.cells for r in rows[1:3]] == [(None,) * 4] * 2  # one blank row stored twice
    assert rows[3].cells == (
        "Porteur du projet",
        "Département",
        "Montant accordé",
        "Montant accordé",
    )
    assert rows[4].cells == (
        "Porteur du projet",
        "Département",
        "ARS",
        "DREETS",
    )  # covered cells carried
    assert (
        rows[6].cells == rows[7].cells == ("Association fictive Jumelle", "Finistère", "700", None)
    )
    assert rows[5].cells[2] == "12500.5"  # the number, not its display "12 500,50"
    assert {r.place for r in rows} == {"Lauréats"}


def test_ods_source_gives_one_line_per_funder(stage):
    staged = stage("laureats-fictifs", file_bytes(write_ods, ".ods"), ods_manifest(), ext="ods")

    assert staged.status == "ok", staged.source["message"]
    assert counts(staged) == (9, 3, 0, 6)
    assert kinds(staged) == {"title": 1, "blank": 2, "header": 2, "total": 1}
    rows = staged.rows
    assert list(zip(rows["source_row"], rows["funder"], rows["amount_eur"])) == [
        (6, "ARS", 12500.5),
        (6, "DREETS", 1000.0),
        (7, "ARS", 700.0),
        (8, "ARS", 700.0),
    ]
    assert set(rows["department_code"]) == {"29"}
    # TOTAL 13 900,50 = 12 500,50 + 700 + 700: no warning about it; the two identical rows, though,
    # are pointed out (pipelines/stage/quality.py).
    assert [(w.row, w.code) for w in staged.warnings] == [
        (None, "no_project_title"),
        (8, "duplicate_row"),
    ]


def test_sheet_chosen_by_name_or_position(stage):
    data = file_bytes(write_ods, ".ods")
    by_name = stage(
        "par-nom",
        data,
        ods_manifest().replace("header_rows: 2", "header_rows: 2\n  sheet: Lauréats"),
        ext="ods",
    )
    assert by_name.status == "ok"
    missing = stage(
        "absente",
        data,
        ods_manifest().replace("header_rows: 2", "header_rows: 2\n  sheet: 3"),
        ext="ods",
    )
    assert missing.status == "unreadable" and "'Lauréats'" in missing.error.fix
