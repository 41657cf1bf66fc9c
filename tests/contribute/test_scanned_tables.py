"""Scanned lists whose header sits in a drawn box or a grid, the page slightly askew: new-source
finds the header, validate reads every laureate and amount exactly, and the amounts are checked
against the document's TOTAL. Amounts that do not make up the TOTAL never exit 0; a header OCR
could not read gets the columns named by their place, and a laureate taken for the header is a doubt.

The scans are fictitious, drawn by tests/contribute/scans.py.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from pipelines.stage.source import stage_source
from tests.contribute import scans
from tests.contribute.test_publisher_shapes import (
    cli,
    contribute,
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
    c = contribute(tmp_path, data, REGION[1], REGION[2])
    # new-source names the columns by their place, under the title, from what each one holds.
    assert "en-tête introuvable : colonnes par leur rang, read.header_row à la page 1, ligne 1" in (
        c.drafted
    )
    assert "aucun en-tête trouvé : la ligne 2 (page 1) se lit comme un lauréat" in c.drafted
    draft = yaml.safe_load(c.draft)
    assert draft["read"]["header_row"] == 1 and draft["read"]["columns_by_position"] is True
    assert draft["columns"] == {
        name: f"colonne {i}" for i, name in enumerate(shape.columns, start=1)
    }
    assert f"total_amount_eur: {scans.total_of(shape):.2f}" in c.draft
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == shape.lines

    # The columns named after the first row read, as if it were the header: a loud doubt.
    [shown] = [x for x in c.draft.splitlines() if "columns_by_position:" in x]
    first = yaml.safe_load(c.manifest.read_text(encoding="utf-8"))
    first["columns"] = dict(zip(shape.columns, re.findall(r"colonne \d : « (.*?) »", shown)))
    del first["read"]["columns_by_position"], first["read"]["header_row"]
    c.manifest.write_text(yaml.safe_dump(first, allow_unicode=True), encoding="utf-8")
    checked = cli("validate", c.manifest)
    assert checked.exit_code == 1, checked.output
    assert "[DOUTE]" in checked.output
    assert "la ligne prise pour l'en-tête (page 1, ligne 2) ressemble à une ligne de données" in (
        " ".join(checked.output.split())
    )


@needs_tesseract
@pytest.mark.parametrize(
    ("shape", "skew", "seed"),
    [(scans.GRID, 2.0, 3), (scans.BARE, -1.8, 4), (scans.BOXED, 0.5, 5)],
    ids=["grille-2deg", "sans-filets-moins-1.8deg", "entete-encadre-0.5deg"],
)
def test_another_skew_or_dust_is_read_exactly_or_refused(tmp_path: Path, shape, skew, seed):
    """The same lists scanned again, turned and specked otherwise: exact, or never exit 0."""
    data = folder(tmp_path, REGION[0], REGION[2]) / f"{shape.name}.pdf"
    scans.scanned_table(data, dataclasses.replace(shape, skew=skew), seed=seed)
    manifest = {
        "source": {
            "publisher": "ARS fictive",
            "url": "https://exemple.invalid/scan",
            "retrieved": "2026-01-15",
        },
        "region": REGION[1],
        "year": REGION[2],
        "campaign": {"id": "bfc-2024-aap", "title": "Appel à projets fictif 2024"},
        "table": "awards",
        "columns": shape.columns,
        "defaults": {"funder": "NC"},
    }
    data.with_suffix(".yaml").write_text(
        yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8"
    )
    checked = cli("validate", data.with_suffix(".yaml"))
    staged = stage_source(data.with_suffix(".yaml"), tmp_path / "raw")
    assert checked.exit_code == 1 or lines_of(staged) == shape.lines, checked.output
    assert checked.exit_code == 0, checked.output  # and Tesseract 5.3 (Debian) reads them exactly
