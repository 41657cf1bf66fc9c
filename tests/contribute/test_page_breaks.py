"""A Word table saved as PDF with no header repeated on page 2 (tests/contribute/page_breaks.py,
fictitious): the rest of a cut row goes back to its row, a new row at the top of the page stays a
row, and a rest holding an amount is never joined by guess but pointed out."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.pdf import read_pdf
from tests.contribute import page_breaks
from tests.contribute.test_publisher_shapes import contribute, folder, lines_of


@pytest.mark.parametrize("name", ["titre", "nom-et-titre", "nouvelle-ligne"])
def test_the_top_of_page_2_without_a_header(tmp_path: Path, name: str):
    variant = page_breaks.VARIANTS[name]
    data = page_breaks.cut_table_pdf(
        folder(tmp_path, "nouvelle-aquitaine", 2024) / f"laureats-{name}.pdf", variant
    )
    c = contribute(tmp_path, data, "75", 2024)
    assert f"total_amount_eur: {variant.total:.2f}" in c.draft
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == variant.lines
    assert c.staged.rows["amount_eur"].sum() == variant.total
    assert not len(c.staged.rejects) and not c.staged.warnings
    # Only page 1's header and the TOTAL are set aside: the top of page 2 is no header.
    assert [s.kind for s in c.staged.skipped] == ["header", "total"]
    source = c.staged.source
    assert source["rows_read"] == 1 + len(variant.lines) + 1
    assert "4 acceptées + 0 rejetée + 2 ignorées" in c.validated


def test_a_rest_holding_an_amount_is_a_row_of_its_own_and_said(tmp_path: Path):
    variant = page_breaks.WITH_AMOUNT
    data = page_breaks.cut_table_pdf(
        folder(tmp_path, "nouvelle-aquitaine", 2024) / "laureats-montant.pdf", variant
    )
    c = contribute(tmp_path, data, "75", 2024)
    assert c.exit_code == 1, c.validated
    assert lines_of(c.staged) == variant.lines  # the row above keeps what page 1 shows of it
    [reject] = c.staged.rejects.itertuples()
    assert (reject.source_row, reject.place, reject.column) == (5, "page 2", "Porteur du projet")
    assert "valeur obligatoire absente" in reject.reason
    [warning] = c.staged.warnings
    assert (warning.code, warning.row, warning.place) == ("page_break_row", 5, "page 2")
    assert warning.message.startswith(
        "première ligne de la page 2, sans « Porteur du projet », « Département » : peut-être la "
        "suite de la ligne d'avant (page 1, ligne 4), coupée par le saut de page"
    )
    assert "4 acceptées + 1 rejetée + 2 ignorées" in c.validated
    assert "coupée par le saut de page" in c.validated


def test_a_page_number_at_the_foot_does_not_hide_the_cut_row(tmp_path: Path):
    """Without rules the page's foot (« Page 1/2 ») is read as a line: the rest still joins its row."""
    data = page_breaks.cut_table_pdf(
        tmp_path / "sans-lignes-fictif.pdf", page_breaks.TITLE_ONLY, ruled=False
    )
    rows = [(r.place, r.cells) for r in read_pdf(data, ReadOptions())]
    cut = page_breaks.TITLE_ONLY.lines[2]
    assert ("page 1", (cut[0], cut[1], "Landes", "15 000 €")) in rows
    assert rows[-3:] == [
        (
            "page 2",
            ("Relais fictif Petite Enfance", "Formation fictive", "Lot-et-Garonne", "4 000 €"),
        ),
        ("page 2", ("TOTAL", None, None, "38 500 €")),
        ("page 2", ("Page 2/2", None, None, None)),
    ]
