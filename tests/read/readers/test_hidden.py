"""What a workbook hides, as the readers find it: rows by their own numbers, columns by index,
the automatic filter's range, hidden sheets; whatever way the XML writes it.

Every workbook here is fictitious (tests/fictif_masque.py).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from pipelines.read.hidden import HiddenFound, describe
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers import hidden as hidden_module
from pipelines.read.readers.hidden import Spans, xlsx_hidden
from pipelines.read.readers.ods import read_ods
from pipelines.read.readers.xlsx import read_xlsx
from tests.fictif_masque import (
    end_under_filter,
    in_the_middle,
    laureats,
    refuses,
    write_ods_masque,
    write_xlsx_masque,
)

SHEET_XML = "xl/worksheets/sheet1.xml"


def _rewrite(path: Path, member: str, change) -> Path:
    """The same workbook with one part's XML written another way."""
    out = path.with_name("reecrit-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, change(data) if item.filename == member else data)
    return out


def test_xlsx_rows_keep_their_numbers_and_what_is_hidden_is_found(tmp_path: Path):
    path = tmp_path / "fictif.xlsx"
    write_xlsx_masque(path, end_under_filter(), autofilter=True, extra_column=("Motif", True))
    grid = read_xlsx(path, ReadOptions())
    assert grid.numbers.tolist() == list(range(1, 32))  # nothing taken out by the reader
    hidden = grid.hidden["Candidatures"]
    assert hidden.rows == Spans((18,), (32,))
    assert hidden.columns == Spans((4,), (5,))  # E, counted from 0
    assert hidden.autofilter == "A4:E31"
    assert not hidden.sheet


def test_a_workbook_hiding_nothing_carries_nothing(tmp_path: Path):
    path = tmp_path / "fictif.xlsx"
    write_xlsx_masque(path, laureats(6), autofilter=True)
    assert read_xlsx(path, ReadOptions()).hidden == {}
    ods = tmp_path / "fictif.ods"
    write_ods_masque(ods, laureats(6), autofilter=True)
    assert read_ods(ods, ReadOptions()).hidden == {}


@pytest.mark.parametrize(
    "rewrite",
    [
        # rows below the header without their `r` attribute: each follows the one before
        lambda xml: re.sub(rb'(<row) r="(?:[5-9]|\d\d+)"', rb"\1", xml),
        # a row hidden by a zero height rather than hidden="1"
        lambda xml: xml.replace(b'hidden="1"', b'ht="0" customHeight="1"'),
        # every element under a namespace prefix, as some generators write it
        lambda xml: re.sub(rb"<(/?)(\w+)([\s>/])", rb"<\1x:\2\3", xml).replace(
            b"xmlns=", b"xmlns:x="
        ),
    ],
    ids=["sans-r", "hauteur-nulle", "prefixe-x"],
)
def test_hidden_rows_are_found_however_the_xml_writes_them(tmp_path: Path, rewrite):
    path = tmp_path / "fictif.xlsx"
    write_xlsx_masque(path, in_the_middle())
    other = _rewrite(path, SHEET_XML, rewrite)
    assert xlsx_hidden(other, ["Candidatures"])["Candidatures"].rows == Spans((10,), (13,))


@pytest.mark.parametrize("chunk", [7, 64, 333, 4096])
def test_the_scan_misses_no_mark_across_its_chunks(tmp_path: Path, monkeypatch, chunk: int):
    path = tmp_path / "fictif.xlsx"
    write_xlsx_masque(path, end_under_filter(), autofilter=True)
    monkeypatch.setattr(hidden_module, "_CHUNK", chunk)
    assert xlsx_hidden(path, ["Candidatures"])["Candidatures"].rows == Spans((18,), (32,))


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheets_are_read_with_sheets_all_and_marked(tmp_path: Path, state: str):
    path = tmp_path / "fictif.xlsx"
    write_xlsx_masque(path, laureats(3), hidden_sheet=refuses(2))
    if state == "veryHidden":
        path = _rewrite(
            path, "xl/workbook.xml", lambda xml: xml.replace(b'"hidden"', b'"veryHidden"')
        )
    rows = read_xlsx(path, ReadOptions(sheets="all"))
    assert {r.place for r in rows} == {"Candidatures", "Refusés"}
    assert {p for p, h in rows.hidden.items() if h.sheet} == {"Refusés"}


def test_the_default_sheet_is_the_first_one_shown(tmp_path: Path):
    path = tmp_path / "fictif.ods"
    write_ods_masque(path, laureats(3), hidden_sheet=refuses(2))
    assert read_ods(path, ReadOptions()).place == "Candidatures"
    rows = read_ods(path, ReadOptions(sheets="all"))
    assert {p for p, h in rows.hidden.items() if h.sheet} == {"Refusés"}


@pytest.mark.parametrize("visibility", ["collapse", "filter"])
def test_ods_rows_and_columns_hidden_by_visibility(tmp_path: Path, visibility: str):
    path = tmp_path / "fictif.ods"
    write_ods_masque(
        path,
        end_under_filter(),
        visibility=visibility,
        autofilter=visibility == "filter",
        extra_column=("Motif", True),
    )
    grid = read_ods(path, ReadOptions())
    assert grid.numbers.tolist() == list(range(1, 32))
    hidden = grid.hidden["Candidatures"]
    assert hidden.rows == Spans((18,), (32,))
    assert hidden.columns == Spans((4,), (5,))
    assert hidden.autofilter == ("A4:E31" if visibility == "filter" else None)


def test_an_ods_row_repeated_hidden_hides_each_of_its_repeats(tmp_path: Path):
    path = tmp_path / "fictif.ods"
    write_ods_masque(path, in_the_middle())
    # Rows 10 to 12 written once, repeated three times: one element, three hidden rows.
    content_change = _collapse_repeats(path)
    grid = read_ods(content_change, ReadOptions())
    assert grid.hidden["Candidatures"].rows == Spans((10,), (13,))
    assert [grid[i].cells[0] for i in (9, 10, 11)] == ["Structure fictive refusée n°1"] * 3


def _collapse_repeats(path: Path) -> Path:
    def change(xml: bytes) -> bytes:
        rows = re.findall(
            rb'<table:table-row table:visibility="collapse">.*?</table:table-row>', xml
        )
        first = rows[0].replace(
            b'<table:table-row table:visibility="collapse">',
            b'<table:table-row table:visibility="collapse" table:number-rows-repeated="3">',
        )
        xml = xml.replace(rows[0], first, 1)
        for row in rows[1:]:
            xml = xml.replace(row, b"", 1)
        return xml

    return _rewrite(path, "content.xml", change)


@pytest.mark.parametrize(
    ("found", "said"),
    [
        (HiddenFound("F", rows=(18,)), "1 ligne masquée (ligne 18) dans la feuille « F »"),
        (
            HiddenFound("F", rows=(7, 9, 10, 11, 30), autofilter="A4:F40"),
            "5 lignes masquées (lignes 7, 9 à 11, 30, filtre automatique sur A4:F40) dans la "
            "feuille « F »",
        ),
        (
            HiddenFound("F", rows=tuple(range(18, 32)), columns=("Motif du refus",)),
            "14 lignes masquées (lignes 18 à 31) et 1 colonne masquée (« Motif du refus ») dans "
            "la feuille « F »",
        ),
        (
            HiddenFound("F", columns=("A", "B")),
            "2 colonnes masquées (« A », « B ») dans la feuille « F »",
        ),
        (HiddenFound("R", sheet_rows=3), "la feuille « R » est masquée dans le classeur (3 lignes"),
    ],
)
def test_what_is_hidden_is_said_with_its_counts_and_place(found: HiddenFound, said: str):
    assert said in describe(found)
