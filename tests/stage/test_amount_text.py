"""Amount cells written as sentences (« 30 000 € (dont 10 000 € ARS et 20 000 € DREETS) ») become one
award line per funder named, only when the parts make the whole; the funders beyond ARS, DREETS and
the commissaire (Département, CAF, commune…) are recognised.

Every file here is fictitious (tests/fictif.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assets.cli import main
from pipelines.read.discovery import discover
from pipelines.stage.publishable import hold_back
from pipelines.stage.source import stage_source
from tests.conftest import add_source
from tests.fictif import EN_TETE_FICTIF, LAUREATS_FICTIFS, csv_fictif, manifest_fictif

FOLDER = ("normandie", 2024)


def _validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def _problems(report: dict, code: str | None = None, severity: str | None = None) -> list[dict]:
    return [
        p
        for s in report["sources"]
        for p in s["problems"]
        if (code is None or p["code"] == code) and (severity is None or p["severity"] == severity)
    ]


def _list(first: str) -> bytes:
    """The fictitious list, its first amount written as a sentence."""
    rows = [list(r) for r in LAUREATS_FICTIFS]
    rows[0][3] = first
    return csv_fictif(rows, header=EN_TETE_FICTIF, total="")


def _lines(root: Path) -> list[tuple[int, str, float]]:
    (staged,) = [stage_source(s.manifest, root / "raw") for s in discover(root / "raw")]
    rows = staged.rows
    return list(zip(rows["source_row"], rows["funder"], rows["amount_eur"]))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "30 000 € (dont 10 000 € ARS et 20 000 € DREETS)",
            [(5, "ARS", 10000.0), (5, "DREETS", 20000.0)],
        ),
        (
            "30 000 € (ARS : 10 000 €, DREETS : 20 000 €)",
            [(5, "ARS", 10000.0), (5, "DREETS", 20000.0)],
        ),
        (
            "24 000 € dont 12 000 € du Département du Calvados et 12 000 € de la CAF",
            [(5, "CONSEIL_DEPARTEMENTAL", 12000.0), (5, "CAF", 12000.0)],
        ),
        ("10 k€ MSA et 2,5 k€ Ville de Caen", [(5, "MSA", 10000.0), (5, "COMMUNE", 2500.0)]),
    ],
    ids=["dont-after", "funder-before", "cd-caf", "parts-only"],
)
def test_parts_that_make_the_whole_become_one_line_per_funder(
    root: Path, cell: str, expected: list
):
    path = add_source(root, *FOLDER, "laureats", _list(cell), manifest_fictif())
    code, report = _validate(path)
    assert code == 0, _problems(report)
    lines = _lines(root)
    assert lines[: len(expected)] == expected
    assert [x[1:] for x in lines[len(expected) :]] == [
        ("ARS", 8000.0),
        ("ARS", 1234.5),
        ("ARS", 20000.0),
    ]
    assert report["sources"][0]["computed"]["awards_count"] == 4  # one laureate, several lines
    (said,) = _problems(report, "amount_split")
    assert "décomposé par financeur" in said["message"] and said["row"] == 5


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        (
            "30 000 € (dont 10 000 € ARS et 15 000 € DREETS)",
            "ne font pas le montant annoncé (30\u202f000 €) ; 5\u202f000 € restent sans "
            "financeur nommé",
        ),
        (
            "30 000 € (dont 10 000 € ARS et 25 000 € DREETS)",
            "dépassent le montant annoncé (30\u202f000 €)",
        ),
        (
            "40 000 € dont 10 000 € Fondation Fictive",
            "« Fondation Fictive » n'est pas un financeur",
        ),
        ("30 000 € dont 10 000 ARS et 20 000 DREETS", "montant suivi d'autres chiffres"),
    ],
    ids=["short-of-the-whole", "beyond-the-whole", "unknown-funder", "parts-without-euro"],
)
def test_parts_that_do_not_make_the_whole_reject_the_row_with_a_french_reason(
    root: Path, cell: str, reason: str
):
    path = add_source(root, *FOLDER, "laureats", _list(cell), manifest_fictif())
    code, report = _validate(path)
    assert code == 1
    (error,) = _problems(report, severity="error")
    assert reason in error["message"] and error["row"] == 5 and error["value"] == cell
    assert error["column"] == "Montant accordé"
    assert [row for row, _, _ in _lines(root)] == [6, 7, 8]  # never published with a guess


def test_a_remainder_goes_to_the_line_s_own_funder_only_under_a_doubt(root: Path):
    """« 25 000 € dont 5 000 € CAF » in an ARS list: 5 000 € CAF, and the 20 000 € left read for
    ARS — a reading to confirm, so the source is held back until `confirmed: [amount_parts]`."""
    cell = "25 000 € dont 5 000 € CAF"
    path = add_source(root, *FOLDER, "laureats", _list(cell), manifest_fictif())
    code, report = _validate(path)
    (found,) = _problems(report, "amount_parts")
    assert code == 1 and found["blocking"]
    assert "le reste, 20\u202f000 €, est lu pour ARS, le financeur de la ligne" in found["message"]
    assert "confirmed:" in found["fix"]
    assert _lines(root)[:2] == [(5, "CAF", 5000.0), (5, "ARS", 20000.0)]
    (staged,) = [hold_back(stage_source(s.manifest, root / "raw")) for s in discover(root / "raw")]
    assert staged.source["status"] == "refused"
    path.with_suffix(".yaml").write_text(
        manifest_fictif(confirmed=["amount_parts"]), encoding="utf-8"
    )
    code, report = _validate(path)
    assert code == 0 and report["sources"][0]["computed"]["total_eur"] == 25000 + 29234.5


def test_a_remainder_without_a_funder_of_its_own_is_refused(root: Path):
    cell = "25 000 € dont 5 000 € CAF"
    manifest = manifest_fictif(defaults={"funder": "NC"})
    path = add_source(root, *FOLDER, "laureats", _list(cell), manifest)
    code, report = _validate(path)
    (error,) = _problems(report, severity="error")
    assert code == 1 and "20\u202f000 € restent sans financeur nommé" in error["message"]


@pytest.mark.parametrize(
    ("cell", "amount", "words"),
    [
        ("12 000 € sur 2 ans", 12000.0, "sur 2 ans"),
        ("12 500,00 € (reconduction 2024-2025)", 12500.0, "(reconduction 2024-2025)"),
    ],
)
def test_a_lone_amount_with_words_is_the_amount_and_the_words_are_said(
    root: Path, cell: str, amount: float, words: str
):
    path = add_source(root, *FOLDER, "laureats", _list(cell), manifest_fictif())
    code, report = _validate(path)
    assert code == 0
    assert _lines(root)[0] == (5, "ARS", amount)
    (said,) = _problems(report, "amount_words")
    assert f"« {words} »" in said["message"] and said["severity"] == "warning"


def test_a_line_co_funded_by_the_departement_and_the_caf_in_two_columns(root: Path):
    header = [*EN_TETE_FICTIF[:3], "Montant Département", "Montant CAF"]
    rows = [
        ["Association Fictive", "Café des parents", "14", "12 000 €", "3 000 €"],
        ["Crèche Fictive", "Passerelle", "50", "", "4 500 €"],
    ]
    manifest = yaml.safe_load(manifest_fictif(defaults=None))
    manifest["columns"].pop("amount_eur")
    manifest["columns"]["amount_eur_by_funder"] = {
        "Conseil départemental": "Montant Département",
        "CAF": "Montant CAF",
    }
    text = yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False)
    path = add_source(root, *FOLDER, "laureats", csv_fictif(rows, header=header, total=""), text)
    code, report = _validate(path)
    assert code == 0, _problems(report)
    assert _lines(root) == [
        (5, "CONSEIL_DEPARTEMENTAL", 12000.0),
        (5, "CAF", 3000.0),
        (6, "CAF", 4500.0),
    ]


def test_new_source_reads_a_departement_column_as_a_funder_but_not_a_breakdown(tmp_path: Path):
    from pipelines.read.headers import SPELLINGS, propose_columns

    labels = ["Porteur", "Montant Département", "Montant CAF", "Montant par département"]
    _, by_funder, left = propose_columns(labels, SPELLINGS["awards"])
    assert by_funder == {"CONSEIL_DEPARTEMENTAL": "Montant Département", "CAF": "Montant CAF"}
    assert "Montant par département" in left
