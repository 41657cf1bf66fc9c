"""Word documents (.docx) as regions publish them go in from the drafted manifest, exactly
(tests/contribute/docx_shapes.py, fictitious documents written with python-docx).

For each: `new-source` drafts the manifest, the contributor fills the provenance and the announced
figures, `validate` accepts, and the staged source holds every laureate, every amount, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from pipelines.common.text import french_euros
from tests.conftest import build_package
from tests.contribute import docx_shapes
from tests.contribute.shapes import Line
from tests.contribute.test_publisher_shapes import Contribution, cli, contribute, folder, lines_of


def declare(c: Contribution, count: int, total: float) -> str:
    """The announced figures written in, as the contributor does from the publisher's page."""
    text = c.manifest.read_text(encoding="utf-8")
    text = text.replace(
        "# declared:", f"declared:\n  awards_count: {count}\n  total_amount_eur: {total}\n#", 1
    )
    c.manifest.write_text(text, encoding="utf-8")
    checked = cli("validate", c.manifest)
    assert checked.exit_code == 0, checked.output
    return checked.output


SHAPES: dict[str, tuple[Callable[[Path], Path], list[Line], float, list[str]]] = {
    # name: (generator, award lines, total, kinds of the rows set aside)
    "titre-puis-tableau": (
        docx_shapes.title_then_table,
        docx_shapes.LINES,
        docx_shapes.TOTAL,
        ["header", "total"],
    ),
    "synthese-puis-laureats": (
        docx_shapes.summary_then_laureates,
        docx_shapes.FUNDED_LINES,
        docx_shapes.TOTAL,
        ["other_table"] * 4 + ["header"],
    ),
    "cellules-fusionnees": (
        docx_shapes.merged_cells,
        docx_shapes.MERGED_LINES,
        docx_shapes.MERGED_TOTAL,
        ["header", "header", "total"],
    ),
    "saut-de-page": (
        docx_shapes.split_by_a_page_break,
        docx_shapes.LINES,
        docx_shapes.TOTAL,
        ["header", "header", "total"],
    ),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_a_word_document_is_read_as_published(tmp_path: Path, name: str):
    make, lines, total, set_aside = SHAPES[name]
    data = make(folder(tmp_path, "occitanie", 2024) / f"laureats-{name}.docx")
    c = contribute(tmp_path, data, "76", 2024)
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == lines
    assert c.staged.rows["amount_eur"].sum() == total
    assert [s.kind for s in c.staged.skipped] == set_aside
    assert not len(c.staged.rejects) and not c.staged.warnings
    source = c.staged.source
    assert source["format"] == "docx" and source["rows_accepted"] == 4
    awarded = len({line[0] for line in lines})
    assert f"calculé : {awarded} lauréats, {french_euros(total)}" in c.validated
    checked = declare(c, awarded, total)
    assert "ACCEPTÉE" in checked and "0 erreur" in checked


def test_what_the_draft_proposes(tmp_path: Path):
    base = folder(tmp_path, "occitanie", 2024)
    merged = contribute(tmp_path, docx_shapes.merged_cells(base / "fusions.docx"), "76", 2024)
    assert "header_rows: 2" in merged.draft
    assert "ARS: Montant accordé (€) ARS" in merged.draft
    assert "DREETS: Montant accordé (€) DREETS" in merged.draft
    assert f"total_amount_eur: {docx_shapes.MERGED_TOTAL:.2f}" in merged.draft
    # The summary's « Total » is another table's: never offered as the list's total.
    summary = contribute(
        tmp_path, docx_shapes.summary_then_laureates(base / "synthese.docx"), "76", 2024
    )
    assert "en-tête trouvé tableau 2, ligne 1" in summary.drafted
    assert "funder: Financeur" in summary.draft and "total_amount_eur: 0 " in summary.draft
    split = contribute(tmp_path, docx_shapes.split_by_a_page_break(base / "coupe.docx"), "76", 2024)
    assert f"total_amount_eur: {docx_shapes.TOTAL:.2f}" in split.draft
    assert [(r.source_row, r.beneficiary_name) for r in split.staged.rows.itertuples()][2:] == [
        (5, "Centre social fictif de l'Aude"),
        (6, "Maison fictive des Familles"),
    ]  # numbered through both tables, the repeated header (row 4) set aside


def test_a_word_document_is_published(tmp_path: Path):
    data = docx_shapes.title_then_table(folder(tmp_path, "occitanie", 2024) / "laureats.docx")
    assert contribute(tmp_path, data, "76", 2024).exit_code == 0
    published = build_package(tmp_path)
    awards = pd.read_csv(published / "data" / "awards.csv", dtype={"department_code": str})
    assert len(awards[awards["source_id"] == "occitanie/2024/laureats"]) == 4
