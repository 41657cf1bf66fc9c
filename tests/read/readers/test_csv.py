"""CSV as regions publish it: any encoding, any delimiter, titles, blanks, totals and notes."""

from __future__ import annotations

import pytest

from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.csv import read_csv, sniff_delimiter
from tests.fixtures_gen import (
    AWARDS,
    TOTAL_EUR,
    counts,
    csv_text,
    file_bytes,
    kinds,
    manifest,
    write_csv,
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_every_encoding_and_delimiter_reads_the_same_five_laureates(stage, encoding, delimiter):
    data = file_bytes(write_csv, ".csv", encoding=encoding, delimiter=delimiter)
    staged = stage("laureats-fictifs", data, manifest())

    assert staged.status == "ok", staged.source["message"]
    assert counts(staged) == (10, 5, 0, 5)
    assert kinds(staged) == {"title": 1, "blank": 1, "header": 1, "total": 1, "note": 1}
    rows = staged.rows
    assert rows["beneficiary_name"].tolist() == [a.name for a in AWARDS]  # accents intact
    assert rows["department_code"].tolist() == [a.department_code for a in AWARDS]
    assert rows["amount_eur"].tolist() == [a.amount_eur for a in AWARDS]
    assert rows["amount_eur"].sum() == TOTAL_EUR == 61250.5
    assert rows["source_row"].tolist() == [4, 5, 6, 7, 8]
    assert set(rows["funder"]) == {"ARS"}
    assert staged.warnings == []  # the TOTAL line is right


def test_declared_encoding_is_used(stage):
    data = file_bytes(write_csv, ".csv", encoding="cp1252")
    staged = stage(
        "laureats-fictifs", data, manifest(read={"encoding": "cp1252", "delimiter": ";"})
    )
    assert staged.status == "ok"
    assert staged.rows["project_title"].iloc[1] == "Éveil culturel des tout-petits"


@pytest.mark.parametrize(
    ("written", "declared", "message", "place"),
    [
        (
            "utf-8",
            "cp1252",
            "le manifeste dit cp1252 mais le fichier est en UTF-8",
            "manifeste, read.encoding",
        ),
        ("cp1252", "utf-8", "le fichier n'est pas en utf-8 (octet 0xe9 illisible)", "ligne 1"),
        ("cp1252", "latin-1", "caractères de cp1252", "ligne 4"),
        ("utf-8", "klingon", "encodage inconnu 'klingon'", "manifeste, read.encoding"),
    ],
)
def test_a_wrong_declared_encoding_says_so_and_where(stage, written, declared, message, place):
    data = file_bytes(write_csv, ".csv", encoding=written)
    staged = stage("laureats-fictifs", data, manifest(read={"encoding": declared}))

    assert staged.status == "unreadable"
    assert staged.rows.empty
    assert message in staged.error.message
    assert staged.error.place == place
    assert "read.encoding" in staged.error.fix
    assert staged.error.path.endswith("laureats-fictifs.csv")


def test_a_wrong_total_is_a_warning_with_both_numbers(stage):
    staged = stage("laureats-fictifs", csv_text(total="60 000,00 €"), manifest())

    assert staged.status == "ok"  # the rows themselves are fine
    assert counts(staged) == (10, 5, 0, 5)
    [warning] = staged.warnings
    assert warning.severity == "warning"
    assert (
        warning.row == 9 and warning.column == "Montant accordé" and warning.value == "60 000,00 €"
    )
    assert "60\u202f000,00 €" in warning.message and "61\u202f250,50 €" in warning.message
    assert "les 5 lignes" in warning.message


def test_sniffing_ignores_title_lines_and_decimal_commas():
    text = csv_text(";")
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter(csv_text(",")) == ","
    assert sniff_delimiter(csv_text("\t")) == "\t"
    assert sniff_delimiter("a|b|c\n1|2,5|3\n") == "|"


def test_quoted_fields_with_delimiters_and_newlines_keep_record_numbers(tmp_path):
    path = tmp_path / "fictif.csv"
    path.write_text(
        'Titre fictif\nNom;Projet;Montant\n"Asso fictive; la ""bis""";"Projet\nsur deux lignes";12\n'
        "Autre asso fictive;P;3\n",
        encoding="utf-8",
    )
    rows = list(read_csv(path, ReadOptions()))
    assert [r.number for r in rows] == [1, 2, 3, 4]
    assert rows[2].cells == ('Asso fictive; la "bis"', "Projet sur deux lignes", "12")
    assert rows[0].cells == ("Titre fictif", None, None)


def test_rectangular_and_ragged_files_read_alike(tmp_path):
    rect, ragged = tmp_path / "rect.csv", tmp_path / "ragged.csv"
    rect.write_text("Nom;Montant\n  Asso   fictive ;nan\n;\nB;2\n", encoding="utf-8")
    ragged.write_text("Titre\nNom;Montant\n  Asso   fictive ;nan\n;\nB;2\n", encoding="utf-8")
    a = [r.cells for r in read_csv(rect, ReadOptions())]
    b = [r.cells for r in read_csv(ragged, ReadOptions())][1:]
    assert a == b == [("Nom", "Montant"), ("Asso fictive", None), (None, None), ("B", "2")]


def test_one_column_only_hints_at_the_delimiter(stage):
    staged = stage("laureats-fictifs", csv_text(";"), manifest(read={"delimiter": "|"}))
    assert staged.status == "unreadable"
    assert "read.delimiter" in staged.error.message


@pytest.mark.parametrize(
    "text",
    [
        'Titre fictif\n\na;b;c\n1;"x;\ny";3\n;;\n4;5;6;7\n* note fictive\n',
        'a;b;c\n1;2;3\n\n\n4;"5";6\n',
        "Titre;\na;b;c\n1;2;3\nfin\n",
        '"a";"b"\n"1";"2"\n',
        "a;b\n" + "".join(f"fictif {i};{i}\n" for i in range(50)) + "Total;1225\nNote : fictive\n",
    ],
)
def test_records_and_cells_are_those_of_the_csv_module(tmp_path, text):
    import csv
    import io

    from pipelines.common.text import clean_cell

    path = tmp_path / "fictif.csv"
    path.write_text(text, encoding="utf-8")
    expected = [
        tuple(clean_cell(c) for c in r)
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=";")
    ]
    got = [r.cells for r in read_csv(path, ReadOptions(delimiter=";"))]
    width = max(len(r) for r in got)
    assert got == [e + (None,) * (width - len(e)) for e in expected]
