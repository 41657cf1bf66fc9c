"""Amounts as publishers write them: in thousands or millions of euros (« Montant (k€) », « 15 k€ »),
with a footnote mark (« 15 000 €* »). A list in k€ read as euros would publish figures a thousand
times too small: never with exit 0.

Every file here is fictitious (tests/fictif.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assets.cli import main
from pipelines.common.doubts import DOUBT_CODES
from pipelines.read.discovery import discover
from pipelines.stage.publishable import hold_back
from pipelines.stage.source import stage_source
from tests.conftest import add_source
from tests.fictif import (
    EN_TETE_FICTIF,
    LAUREATS_FICTIFS,
    TOTAL_FICTIF,
    complete_as_contributor,
    csv_fictif,
    manifest_fictif,
)

FOLDER = ("normandie", 2024)
# The fictitious list's amounts (12 500, 8 000, 1 234,50, 20 000 €) as a publisher in k€ writes them.
EN_KEUR = ["12,5", "8", "1,2345", "20"]
EN_MEUR = ["0,0125", "0,008", "0,0012345", "0,02"]


def _validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def _codes(report: dict) -> list[str]:
    return [p["code"] for s in report["sources"] for p in s["problems"]]


def _doubts(report: dict) -> list[dict]:
    return [p for s in report["sources"] for p in s["problems"] if p["code"] in DOUBT_CODES]


def _total(report: dict) -> float | None:
    return report["sources"][0]["computed"]["total_eur"]


def _list(amounts: list[str], header: str = "Montant accordé", total: str = "") -> bytes:
    """The fictitious list with its amounts (and TOTAL line) written otherwise."""
    rows = [[*r[:3], a, r[4]] for r, a in zip(LAUREATS_FICTIFS, amounts)]
    return csv_fictif(rows, header=[*EN_TETE_FICTIF[:3], header, EN_TETE_FICTIF[4]], total=total)


def _manifest(header: str = "Montant accordé", **read) -> str:
    data = yaml.safe_load(manifest_fictif())
    data["columns"]["amount_eur"] = header
    data["read"].update(read)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("header", "amounts", "unit", "total"),
    [
        ("Montant (k€)", EN_KEUR, "k€", "41,7345"),
        ("Montant en milliers d'euros", EN_KEUR, "k€", ""),
        ("Subvention (M€)", EN_MEUR, "M€", "0,0417345"),
    ],
)
def test_a_list_in_thousands_or_millions_is_read_in_euros_exactly(
    root: Path, header: str, amounts: list[str], unit: str, total: str
):
    data = _list(amounts, header, total)
    path = add_source(root, *FOLDER, "laureats", data, _manifest(header, amount_unit=unit))
    code, report = _validate(path)
    assert code == 0, _codes(report)
    assert _total(report) == TOTAL_FICTIF  # 41 734,50 €, to the cent: 1,2345 k€ is 1 234,50 €
    (staged,) = [stage_source(s.manifest, root / "raw") for s in discover(root / "raw")]
    assert staged.rows["amount_eur"].tolist() == [12500.0, 8000.0, 1234.5, 20000.0]


def test_cells_writing_their_own_unit_are_read_with_it_whatever_the_manifest_says(root: Path):
    cells = ["12,5 k€", "8 000 €", "1,2345 K€", "0,02 M€"]
    for unit in (None, "k€"):
        read = {} if unit is None else {"amount_unit": unit}
        path = add_source(root, *FOLDER, "laureats", _list(cells), _manifest(**read))
        code, report = _validate(path)
        if unit is None:
            assert code == 0 and _total(report) == TOTAL_FICTIF
        else:  # « 8 000 € » carries no multiplier: the manifest's k€ would make it 8 000 000 €
            (found,) = _doubts(report)
            assert code == 1 and found["code"] == "amount_unit"
            assert "1 cellule(s) de « Montant accordé » écrivent des euros" in found["message"]
            assert "« 8 000 € », lue 8\u202f000\u202f000 €" in found["message"]


@pytest.mark.parametrize("header", ["Montant (k€)", "Montant (K€)", "Montant en milliers d'euros"])
def test_perturbation_a_clean_list_in_thousands_without_the_key_is_never_ready(
    root: Path, header: str
):
    """The clean list, its header now « Montant (k€) » and its amounts divided by 1000: read as
    euros it would publish 41,73 €. The doubt stops it; the key the message names settles it."""
    path = add_source(root, *FOLDER, "laureats", _list(EN_KEUR, header), _manifest(header))
    code, report = _validate(path)
    (found,) = _doubts(report)
    assert code == 1 and found["code"] == "amount_unit" and found["blocking"]
    assert f"l'en-tête « {header} » donne les montants en milliers d'euros (k€)" in found["message"]
    assert "« 12,5 » serait publié 12,50 € au lieu de 12\u202f500 €" in found["message"]
    assert 'read.amount_unit: "k€"' in found["fix"]
    (staged,) = [hold_back(stage_source(s.manifest, root / "raw")) for s in discover(root / "raw")]
    assert staged.source["status"] == "refused"  # never published thousandfold small
    manifest = path.with_suffix(".yaml")
    manifest.write_text(_manifest(header, amount_unit="k€"), encoding="utf-8")
    code, report = _validate(path)
    assert code == 0 and _total(report) == TOTAL_FICTIF


def test_perturbation_thousands_under_a_plain_header_against_the_declared_total(root: Path):
    """No unit in the header, amounts divided by 1000, the total announced in euros: a doubt
    besides the failed reconciliation, and the message says how far off."""
    declared = {"awards_count": 4, "total_amount_eur": TOTAL_FICTIF}
    manifest = yaml.safe_load(_manifest())
    manifest["declared"] = declared
    text = yaml.safe_dump(manifest, allow_unicode=True)
    path = add_source(root, *FOLDER, "laureats", _list(EN_KEUR), text)
    code, report = _validate(path)
    (found,) = _doubts(report)
    assert code == 1 and found["code"] == "amount_unit"
    assert "1\u202f000 fois plus petite que le total annoncé" in found["message"]
    assert "des milliers d'euros (k€) lus comme des euros ?" in found["message"]


def test_perturbation_thousands_under_a_plain_header_without_any_total(root: Path):
    path = add_source(root, *FOLDER, "laureats", _list(EN_KEUR), _manifest())
    code, report = _validate(path)
    assert code == 1 and [d["code"] for d in _doubts(report)] == ["amount_unit"]
    assert "tous sous 1\u202f000 €" in _doubts(report)[0]["message"]
    # Small grants that really are in euros: saying so settles it.
    path.with_suffix(".yaml").write_text(_manifest(amount_unit="€"), encoding="utf-8")
    code, report = _validate(path)
    assert code == 0 and _total(report) == pytest.approx(41.7345, abs=0.01)


def test_the_key_in_thousands_over_amounts_in_euros_is_a_doubt(root: Path):
    manifest = yaml.safe_load(_manifest("Montant (€)", amount_unit="k€"))
    path = add_source(
        root,
        *FOLDER,
        "laureats",
        _list(["12,5", "8", "1,2345", "20"], "Montant (€)"),
        yaml.safe_dump(manifest, allow_unicode=True),
    )
    code, report = _validate(path)
    (found,) = _doubts(report)
    assert code == 1 and "donne les montants en euros" in found["message"]
    assert 'read.amount_unit: "k€"' in found["message"]


def test_a_clean_list_in_euros_raises_no_unit_doubt(root: Path):
    path = add_source(root, *FOLDER, "laureats", csv_fictif(), _manifest())
    code, report = _validate(path)
    assert code == 0 and _doubts(report) == []


@pytest.mark.parametrize(
    "cells",
    [
        ["12 500,00 €*", "8 000 € (1)", "1.234,50 €¹", "20 000,00 € **"],
        ["12 500 ¹", "8 000*", "1 234,50 (2)", "20 000²³"],
    ],
    ids=["after-the-currency", "after-the-number"],
)
def test_footnote_marks_are_left_out_and_said(root: Path, cells: list[str]):
    path = add_source(root, *FOLDER, "laureats", _list(cells), _manifest())
    code, report = _validate(path)
    assert code == 0
    assert _total(report) == TOTAL_FICTIF  # « 12 500 ¹ » is 12 500, never 125 001
    (note,) = [
        p for s in report["sources"] for p in s["problems"] if p["code"] == "amount_footnote"
    ]
    assert "renvoi de note après le montant dans 4 cellule(s), lignes 5, 6, 7, 8" in note["message"]
    assert note["severity"] == "warning" and not note["blocking"]


@pytest.mark.parametrize("cell", ["12 500 €1", "12 500 € 1", "125€00"])
def test_a_plain_digit_after_the_currency_is_refused_never_glued_to_the_amount(
    root: Path, cell: str
):
    """« 12 500 €1 »: a footnote typed as a plain digit, or cents after the sign; never 125 001."""
    cells = [cell, "8 000 €", "1.234,50", "20 000 €"]
    path = add_source(root, *FOLDER, "laureats", _list(cells), _manifest())
    code, report = _validate(path)
    assert code == 1 and report["sources"][0]["rows_rejected"] == 1
    assert _total(report) == TOTAL_FICTIF - 12500
    (problem,) = [p for p in report["sources"][0]["problems"] if p["severity"] == "error"]
    assert "des chiffres après « € »" in problem["message"]


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("Montant (k€)", "k€"),
        ("Montant en milliers d'euros", "k€"),
        ("Subvention (M€)", "M€"),
    ],
)
def test_new_source_maps_the_header_and_proposes_the_unit(root: Path, header: str, unit: str):
    folder = root / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    path = folder / "laureats-fictifs.csv"
    amounts, total = (EN_KEUR, "41,7345") if unit == "k€" else (EN_MEUR, "0,0417345")
    path.write_bytes(_list(amounts, header, total))
    drafted = CliRunner().invoke(
        main, ["new-source", str(path), "--region", "28", "--year", "2024"]
    )
    assert drafted.exit_code == 0, drafted.output
    text = path.with_suffix(".yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["columns"]["amount_eur"] == header
    assert data["read"]["amount_unit"] == unit
    assert f'amount_unit: "{unit}"   # À VÉRIFIER : l\'en-tête « {header} »' in text
    # The TOTAL line is offered in euros.
    assert "#   total_amount_eur: 41734.50" in text
    assert "DOUTE" not in drafted.output
    complete_as_contributor(path.with_suffix(".yaml"), awards_count=4)
    code, report = _validate(path)
    assert code == 0 and _total(report) == TOTAL_FICTIF


def test_the_guide_documents_the_key_and_the_doubts():
    from tests.conftest import REPO

    guide = (REPO / "raw" / "README.md").read_text(encoding="utf-8")
    assert "| `amount_unit` | l'unité des montants du fichier" in guide
    assert "| `amount_unit` | l'en-tête des montants dit k€" in guide
    assert "| `amount_parts` | un montant écrit en texte" in guide
