"""XLSX: the data sheet chosen, merged header cells, typed cells as text, totals checked."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.sheets import cell_text, number_text
from pipelines.read.readers.xlsx import read_xlsx
from tests.fixtures_gen import (
    XLSX_FUNDER_LINES,
    counts,
    file_bytes,
    kinds,
    write_xlsx,
    xlsx_manifest,
)


@pytest.mark.parametrize("sheet", ["Lauréats 2023", 2, "2", "lauréats 2023"])
def test_data_sheet_with_merged_two_row_header_gives_one_line_per_funder(stage, sheet):
    data = file_bytes(write_xlsx, ".xlsx")
    staged = stage(
        "laureats-fictifs", data, xlsx_manifest(read={"sheet": sheet, "header_rows": 2}), ext="xlsx"
    )

    assert staged.status == "ok", staged.source["message"]
    # 14 rows: 3 above the header, 2 header rows, 5 laureates, a sub-total, a total, a blank, a note
    assert counts(staged) == (14, 5, 0, 9)
    assert kinds(staged) == {"title": 2, "blank": 2, "header": 2, "total": 2, "note": 1}
    rows = staged.rows
    got = list(zip(rows["source_row"], rows["funder"], rows["amount_eur"], rows["department_code"]))
    assert got == XLSX_FUNDER_LINES
    assert (
        rows.loc[rows["source_row"] == 9, "beneficiary_name"].tolist()
        == ["Crèche fictive Arc-en-ciel"] * 2
    )


def test_total_lines_are_checked_against_the_rows_they_close(stage):
    data = file_bytes(write_xlsx, ".xlsx")
    staged = stage(
        "laureats-fictifs", data, xlsx_manifest(read={"sheet": 2, "header_rows": 2}), ext="xlsx"
    )

    # The sub-total (row 8) and the DREETS total are right; the ARS total (row 12) is not.
    [warning] = staged.warnings
    assert warning.code == "total_mismatch"
    assert (warning.row, warning.place, warning.column, warning.value) == (
        12,
        "Lauréats 2023",
        "Montant accordé ARS",
        "99999",
    )
    assert "99\u202f999,00 €" in warning.message
    assert (
        "les 3 lignes qu'elle totalise" in warning.message and "12\u202f500,00 €" in warning.message
    )
    assert "depuis le début du tableau : 28\u202f000,50 €" in warning.message

    right = file_bytes(write_xlsx, ".xlsx", wrong_total=False)
    staged = stage(
        "laureats-fictifs-justes",
        right,
        xlsx_manifest(read={"sheet": 2, "header_rows": 2}),
        ext="xlsx",
    )
    assert staged.warnings == []


def test_merged_cells_are_carried_and_numbers_read_as_typed(tmp_path):
    path = write_xlsx(tmp_path / "fictif.xlsx")
    rows = list(read_xlsx(path, ReadOptions(sheet="Lauréats 2023")))
    assert rows[3].cells[3:] == ("Montant accordé", "Montant accordé")  # D4:E4
    assert rows[4].cells[:3] == ("Porteur du projet", "Intitulé du projet", "Département")  # A4:A5…
    assert rows[5].cells[2:] == ("29", "12500.5", "2000")  # 12500.500000001 in the file
    assert all(r.place == "Lauréats 2023" for r in rows)
    assert [r.number for r in rows] == list(range(1, 15))


def test_default_sheet_is_the_first_one(tmp_path):
    path = write_xlsx(tmp_path / "fictif.xlsx")
    assert next(iter(read_xlsx(path, ReadOptions()))).cells == (
        "Document fictif : voir la feuille Lauréats 2023",
    )


def test_an_unknown_sheet_lists_the_sheets(stage):
    data = file_bytes(write_xlsx, ".xlsx")
    staged = stage(
        "laureats-fictifs", data, xlsx_manifest(read={"sheet": "Lauréats 2022"}), ext="xlsx"
    )
    assert staged.status == "unreadable"
    assert staged.error.message == "feuille 'Lauréats 2022' introuvable"
    assert (
        "'Notice', 'Lauréats 2023'" in staged.error.fix
        and staged.error.place == "manifeste, read.sheet"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12500.5, "12500.5"),
        (12500.500000001, "12500.5"),
        (0.1 + 0.2, "0.3"),
        (3.0, "3"),
        (12345678901234.0, "12345678901234"),
        (1.234, "1.2340"),
        (1234.5678, "1234.5678"),
        (0.0001, "0.0001"),
    ],
)
def test_numbers_as_a_person_would_type_them(value, text):
    assert number_text(value) == text


def test_typed_cells():
    assert cell_text(dt.datetime(2023, 3, 15)) == "2023-03-15"
    assert cell_text(dt.datetime(2023, 3, 15, 9, 30)) == "2023-03-15 09:30"
    assert cell_text(dt.date(2023, 3, 15)) == "2023-03-15"
    assert cell_text(True) == "VRAI"
    assert cell_text("") is None and cell_text(None) is None
    assert cell_text(37) == "37"


def test_numbers_by_column_are_written_as_python_writes_them():
    import random

    import numpy as np

    from pipelines.read.readers.sheets import numbers_text

    rnd = random.Random(5)
    values = [
        rnd.choice(
            [
                rnd.randint(0, 10**9),
                rnd.randint(0, 10**7) / 100,
                rnd.random() * 10 ** rnd.randint(0, 8),
                rnd.randint(0, 10**6) + 0.1 + 0.2,
            ]
        )
        for _ in range(5000)
    ]

    def reference(v: float) -> str:  # six decimals kept, then the shortest text of that number
        r = float(np.round(v, 6))
        return str(int(r)) if r == int(r) else repr(r)

    got = numbers_text(np.array(values, dtype=float), decimal=".")
    assert got == [reference(v) for v in values]
