"""Scanned lists whose header sits in a drawn box or a grid, the page slightly askew: new-source
finds the header, validate reads every laureate and amount exactly, and the amounts are checked
against the document's TOTAL. Amounts that do not make up the TOTAL, or a header OCR could not
read, never exit 0.

The scans are fictitious, drawn by tests/contribute/scans.py.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from tests.contribute import scans
from tests.contribute.test_publisher_shapes import (
    cli,
    contribute,
    fill_provenance,
    folder,
    lines_of,
    needs_tesseract,
)

REGION = ("bourgogne-franche-comte", "27", 2024)


@needs_tesseract
@pytest.mark.parametrize("shape", scans.SHAPES, ids=lambda s: s.name)
def test_a_skewed_scan_with_a_ruled_header_is_read_exactly(tmp_path: Path, shape):
    data = scans.scanned_table(folder(tmp_path, REGION[0], REGION[2]) / f"{shape.name}.pdf", shape)
    c = contribute(tmp_path, data, REGION[1], REGION[2])
    drafted = yaml.safe_load(c.draft)["columns"]
    assert {k: v.casefold() for k, v in drafted.items()} == {
        k: v.casefold() for k, v in shape.columns.items()
    }
    assert f"total_amount_eur: {scans.total_of(shape):.2f}" in c.draft
    assert "essai de lecture" in c.drafted and "DOUTE" not in c.drafted
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shape.lines
    assert c.staged.source["method"] == "ocr"
    [ocr] = [w.message for w in c.staged.warnings if w.code == "ocr"]
    assert "est celle de la ligne « TOTAL » du document" in ocr

    # One amount misprinted (or misread): the TOTAL no longer adds up, and validate refuses.
    wrong = [list(r) for r in shape.rows]
    wrong[0][3] = wrong[0][3].replace("00 €", "50 €")
    scans.scanned_table(data, dataclasses.replace(shape, rows=wrong))
    checked = cli("validate", c.manifest)
    assert checked.exit_code == 1, checked.output
    assert "montants lus par OCR : la ligne « TOTAL » annonce" in checked.output


@needs_tesseract
def test_a_scan_whose_header_is_not_read_never_takes_a_laureate_for_it(tmp_path: Path):
    shape = scans.BOXED
    data = scans.scanned_table(
        folder(tmp_path, REGION[0], REGION[2]) / "sans-entete.pdf", shape, header=False
    )
    drafted = cli("new-source", data, "--region", REGION[1], "--year", str(REGION[2]))
    assert drafted.exit_code == 0, drafted.output
    manifest = data.with_suffix(".yaml")
    fill_provenance(manifest)
    text = manifest.read_text(encoding="utf-8")

    # A contributor naming the columns after the first row read: the first laureate as header.
    [left_out] = [x for x in text.splitlines() if x.startswith("# Colonnes non reprises")]
    first = yaml.safe_load(text)
    first["columns"] = dict(zip(shape.columns, re.findall(r"« (.*?) »", left_out)))
    first["read"].pop("columns_by_position", None)
    first["read"].pop("header_row", None)
    manifest.write_text(yaml.safe_dump(first, allow_unicode=True), encoding="utf-8")
    checked = cli("validate", manifest)
    assert checked.exit_code == 1, checked.output
    assert "[DOUTE]" in checked.output
    assert "la ligne prise pour l'en-tête (page 1, ligne 2) ressemble à une ligne de données" in (
        checked.output.replace("\n", " ")
    )

    # As the message says: the columns named by their place, under the line above the first laureate.
    fixed = yaml.safe_load(text)
    fixed["read"].update(header_row=1, columns_by_position=True)
    fixed["columns"] = {name: f"colonne {i}" for i, name in enumerate(shape.columns, start=1)}
    manifest.write_text(yaml.safe_dump(fixed, allow_unicode=True), encoding="utf-8")
    checked = cli("validate", manifest)
    assert checked.exit_code == 0, checked.output
    from pipelines.stage.source import stage_source

    assert lines_of(stage_source(manifest, tmp_path / "raw")) == shape.lines
