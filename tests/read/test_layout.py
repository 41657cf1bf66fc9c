"""The layout shared by every format: header found, titles, blanks, notes, totals set aside."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from pipelines.common.problems import SourceError
from pipelines.common.text import clean_cell
from pipelines.read.layout import ROW, build_table
from pipelines.read.manifest import DEFAULT_SKIP
from pipelines.read.readers.grid import GridRow, rows_to_grid, text_column
from pipelines.read.table_columns import column_for
from tests.fixtures_gen import counts, kinds, manifest

PATH = Path("fictif.csv")
WANTED = ["Porteur du projet", "Département", "Montant accordé"]
SKIP = list(DEFAULT_SKIP)


def grid(*rows, place=None) -> list[GridRow]:
    return [GridRow(i, place, tuple(r)) for i, r in enumerate(rows, start=1)]


MESSY = grid(
    ("Logo ARS fictive", None, None),
    ("Lauréats fictifs 2023", None, None),
    (None, None, None),
    ("Porteur du projet", "Département", "Montant accordé"),
    ("Association fictive A", "29", "1 000 €"),
    (None, None, None),
    ("Association fictive B", "35", "2 000 €"),
    ("Sous-total", None, "3 000 €"),
    ("PORTEUR DU PROJET", "departement", "Montant accorde"),  # the header again, other spelling
    ("Association fictive C", "56", "500 €"),
    ("TOTAL", None, "3 500 €"),
    ("Page 1 / 2", None, None),
    ("(1) Liste fictive.", None, None),
)


@pytest.mark.parametrize("as_grid", [False, True], ids=["liste", "colonnes"])
def test_messy_layout(as_grid):
    rows = rows_to_grid([r.cells for r in MESSY]) if as_grid else MESSY
    table = build_table(
        rows, wanted=WANTED, header_row=None, header_rows=1, skip_patterns=SKIP, path=PATH
    )

    assert table.frame["Porteur du projet"].tolist() == [
        "Association fictive A",
        "Association fictive B",
        "Association fictive C",
    ]
    assert table.frame[ROW].tolist() == [5, 7, 10]
    assert [(s.row, s.kind) for s in table.skipped] == [
        (1, "title"),
        (2, "title"),
        (3, "blank"),
        (4, "header"),
        (6, "blank"),
        (8, "total"),
        (9, "header"),
        (11, "total"),
        (12, "note"),
        (13, "note"),
    ]
    assert table.rows_read == 13
    assert [(t.row, t.position, t.label) for t in table.totals] == [
        (8, 2, "Sous-total"),
        (11, 3, "TOTAL"),
    ]


def test_header_over_two_rows_with_merged_cells_carried():
    rows = grid(
        ("Porteur du projet", "Montant accordé", None),
        (None, "ARS", "DREETS"),
        ("Association fictive A", "1 000", "500"),
    )
    table = build_table(
        rows,
        wanted=["Porteur du projet", "Montant accordé ARS", "Montant accordé DREETS"],
        header_row=None,
        header_rows=2,
        skip_patterns=SKIP,
        path=PATH,
    )
    assert table.labels == ["Porteur du projet", "Montant accordé ARS", "Montant accordé DREETS"]
    assert table.frame.iloc[0].tolist()[:3] == ["Association fictive A", "1 000", "500"]


def test_header_row_given_by_the_manifest():
    table = build_table(
        MESSY, wanted=[], header_row=4, header_rows=1, skip_patterns=SKIP, path=PATH
    )
    assert table.header_row == 4 and len(table.frame) == 3
    with pytest.raises(SourceError, match="la ligne d'en-tête 40 n'existe pas"):
        build_table(MESSY, wanted=[], header_row=40, header_rows=1, skip_patterns=SKIP, path=PATH)


def test_no_header_found_names_the_columns_looked_for():
    with pytest.raises(SourceError) as err:
        build_table(
            MESSY,
            wanted=["Bénéficiaire"],
            header_row=None,
            header_rows=1,
            skip_patterns=SKIP,
            path=PATH,
        )
    assert "'Bénéficiaire'" in err.value.message and "read.header_row" in err.value.fix


def test_repeated_header_on_a_new_page():
    rows = grid(
        ("Porteur du projet", "Département", "Montant accordé"),
        ("Asso fictive A", "29", "1"),
        place="page 1",
    ) + [
        GridRow(3, "page 2", ("Porteur du projet", "Département", "Montant accordé")),
        GridRow(4, "page 2", ("Asso fictive B", "35", "2")),
    ]
    table = build_table(
        rows, wanted=WANTED, header_row=None, header_rows=1, skip_patterns=SKIP, path=PATH
    )
    assert table.frame["Porteur du projet"].tolist() == ["Asso fictive A", "Asso fictive B"]
    assert [(s.place, s.reason) for s in table.skipped if s.row == 3] == [
        ("page 2", "en-tête répété (nouvelle page)")
    ]


def test_the_table_whose_header_matches_is_picked_among_several():
    rows = grid(("Accueil", "Contact"), place="tableau 1") + grid(
        ("Porteur du projet", "Département", "Montant accordé"),
        ("Asso fictive", "29", "1"),
        place="tableau 2",
    )
    table = build_table(
        rows, wanted=WANTED, header_row=None, header_rows=1, skip_patterns=SKIP, path=PATH
    )
    assert (
        table.header_place == "tableau 2" and table.rows_read == 3
    )  # the other table is read, and skipped
    assert [(s.place, s.kind) for s in table.skipped if s.kind == "other_table"] == [
        ("tableau 1", "other_table")
    ]


def test_a_list_split_over_several_tables_is_read_whole():
    header = ("Porteur du projet", "Département", "Montant accordé")
    rows = (
        grid(("Accueil", "Contact"), place="tableau 1")
        + grid(
            header,
            ("Asso fictive du Cher", "18", "1"),
            ("Asso fictive de Bourges", "18", "2"),
            place="tableau 2",
        )
        + grid(header, ("Asso fictive du Loiret", "45", "3"), place="tableau 3")
    )
    table = build_table(
        rows, wanted=WANTED, header_row=None, header_rows=1, skip_patterns=SKIP, path=PATH
    )
    assert list(table.frame["Porteur du projet"]) == [
        "Asso fictive du Cher",
        "Asso fictive de Bourges",
        "Asso fictive du Loiret",
    ]
    assert list(table.frame["_place"]) == ["tableau 2", "tableau 2", "tableau 3"]
    assert table.frame["_row"].is_unique
    assert table.rows_read == 1 + 3 + 2 and len(table.skipped) == 3  # other table, 2 headers


def test_a_long_line_inside_the_table_is_a_laureate_not_a_note():
    rows = grid(
        ("Porteur du projet", "Département", "Montant accordé"),
        ("Asso fictive", "29", "1"),
        (
            "Communautés de communes fictives des Coteaux et du Mont des Bruyères (projet conjoint)",
            None,
            None,
        ),
        ("Asso fictive deux", "35", "2"),
        ("* Liste fictive arrêtée par le comité de sélection régional du mois de juin", None, None),
    )
    table = build_table(
        rows, wanted=WANTED, header_row=None, header_rows=1, skip_patterns=SKIP, path=PATH
    )
    assert len(table.frame) == 3
    assert [s.kind for s in table.skipped] == ["header", "note"]


def test_a_name_starting_with_total_is_not_a_total_line():
    rows = grid(
        ("Porteur du projet", "Département", "Montant accordé"),
        ("Totalement Bébé (fictif)", "29", "1"),
        ("Total", None, "1"),
    )
    table = build_table(
        rows,
        wanted=WANTED,
        header_row=None,
        header_rows=1,
        skip_patterns=["^\\s*(sous[- ]?)?total\\b"],
        path=PATH,
    )
    assert list(table.frame["Porteur du projet"]) == ["Totalement Bébé (fictif)"]


def test_missing_and_doubled_columns_are_named():
    rows = grid(
        ("Porteur du projet", "Montant accordé", "Montant accordé"), ("Asso fictive", "1", "2")
    )
    table = build_table(
        rows, wanted=WANTED, header_row=None, header_rows=1, skip_patterns=SKIP, path=PATH
    )
    with pytest.raises(SourceError) as missing:
        column_for(table, "Département", PATH, "department_code")
    assert (
        missing.value.message == "colonne 'Département' (pour department_code) absente de l'en-tête"
    )
    assert "'Porteur du projet', 'Montant accordé'" in missing.value.fix
    with pytest.raises(SourceError) as twice:
        column_for(table, "montant accorde", PATH, "amount_eur")
    assert twice.value.message == "l'en-tête 'montant accorde' apparaît 2 fois"
    assert twice.value.place == "ligne 1"


def test_text_column_cleans_like_clean_cell():
    values = [
        "  a  b ",
        "nan",
        "NaN",
        " nan ",
        "",
        None,
        "x\u00a0y",
        "z\u202f1",
        "tab\tté",
        "ok",
        "l1\nl2",
        "\u2009",
    ]
    rnd = random.Random(3)
    alphabet = [
        " ",
        "\t",
        "\n",
        "\r",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x85",
        "\u00a0",
        "\u1680",
        "\u2000",
        "\u2007",
        "\u200a",
        "\u200b",
        "\u2028",
        "\u202f",
        "\u205f",
        "\u3000",
        "a",
        "é",
        "n",
        "N",
        "€",
        "_",
    ]
    values += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 8))) for _ in range(3000)]
    assert text_column(values).to_pylist() == [clean_cell(v) for v in values]


def test_co_funded_line_becomes_one_award_line_per_funder(stage):
    data = (
        "Porteur du projet;Département;Montant ARS;Montant DREETS\n"
        "Association fictive A;29;10 000 €;5 000 €\n"
        "Association fictive B;35;;2 500 €\n"
        "Association fictive C;56;NC;\n"
        "Association fictive D;22;;\n"
    )
    m = manifest(
        {
            "beneficiary_name": "Porteur du projet",
            "department": "Département",
            "amount_eur_by_funder": {"ARS": "Montant ARS", "DREETS": "Montant DREETS"},
        }
    )
    staged = stage("cofinancement-fictif", data, m)

    rows = staged.rows
    lines = [
        (r, f, None if pd.isna(a) else a)
        for r, f, a in zip(rows["source_row"], rows["funder"], rows["amount_eur"])
    ]
    # C says its amount is not published (NC) and D gives none: both kept, funder NC, amount null,
    # with a warning each — an unpublished amount never loses the laureate.
    assert lines == [
        (2, "ARS", 10000.0),
        (2, "DREETS", 5000.0),
        (3, "DREETS", 2500.0),
        (4, "NC", None),
        (5, "NC", None),
    ]
    assert counts(staged) == (5, 4, 0, 1)
    assert [(w.row, w.code) for w in staged.warnings if w.code == "no_funder_amount"] == [
        (4, "no_funder_amount"),
        (5, "no_funder_amount"),
    ]
    assert kinds(staged) == {"header": 1}


def test_a_department_outside_the_region_is_rejected_with_that_reason(stage):
    data = (
        "Porteur du projet;Département;Montant accordé\nAssociation fictive;Indre-et-Loire;1 000 €\n"
        "Association fictive bis;29;2 000 €\n"
    )
    staged = stage(
        "hors-region-fictif",
        data,
        manifest(
            {
                "beneficiary_name": "Porteur du projet",
                "department": "Département",
                "amount_eur": "Montant accordé",
            }
        ),
    )
    assert counts(staged) == (3, 1, 1, 1)
    [reject] = staged.rejects.to_dict("records")
    assert (
        reject["source_row"] == 2
        and reject["column"] == "Département"
        and reject["value"] == "Indre-et-Loire"
    )
    assert (
        reject["reason"]
        == "département 37 (Indre-et-Loire) hors de la région 53 (Bretagne) de la source"
    )


def test_one_wrong_cell_rejects_its_row_only_with_file_place_and_fix(stage):
    data = (
        "Porteur du projet;Département;Montant accordé\nAsso fictive A;29;douze mille\n"
        "Asso fictive B;29;1 000 €\n;35;2 000 €\n"
    )
    staged = stage(
        "erreurs-fictives",
        data,
        manifest(
            {
                "beneficiary_name": "Porteur du projet",
                "department": "Département",
                "amount_eur": "Montant accordé",
            }
        ),
    )
    assert counts(staged) == (4, 1, 2, 1)
    rejects = staged.rejects.to_dict("records")
    assert [(r["source_row"], r["column"]) for r in rejects] == [
        (2, "Montant accordé"),
        (4, "Porteur du projet"),
    ]
    assert rejects[0]["value"] == "douze mille" and pd.isna(rejects[1]["value"])
    assert rejects[0]["reason"] == "« douze mille » n'est pas un montant"
    assert "12 500,00 €" in rejects[0]["fix"]
    assert "valeur obligatoire absente" in rejects[1]["reason"]
