"""Doubt is loud: a column the manifest neither maps nor ignores that holds amounts, départements or
funders, or a year column spanning other campaign years, stops « Prêt à soumettre » (exit 1) and
holds the source back from publication, until the manifest settles it.

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
    complete_as_contributor,
    csv_fictif,
    manifest_fictif,
)

FOLDER = ("normandie", 2024)


def _validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def _doubts(report: dict) -> list[dict]:
    return [p for s in report["sources"] for p in s["problems"] if p["code"] in DOUBT_CODES]


def _with_column(header: str, values: list[str]) -> bytes:
    rows = [r + [v] for r, v in zip(LAUREATS_FICTIFS, values)]
    return csv_fictif(rows, header=[*EN_TETE_FICTIF, header])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    return tmp_path


def test_the_clean_list_raises_no_doubt(root: Path):
    path = add_source(root, *FOLDER, "laureats", csv_fictif(), manifest_fictif())
    code, report = _validate(path)
    assert _doubts(report) == []
    assert code == 0


@pytest.mark.parametrize(
    ("header", "values", "what"),
    [
        ("Montant DREETS", ["5 000 €", "2 000 €", "1 000 €", "3 000 €"], "des montants"),
        ("Cofinancement (€)", ["5000", "2000", "1000,50", "3000"], "des montants"),
        ("Autre aide", ["1 500 €", "800 €", "200 €", "—"], "des montants"),
        ("Lieu", ["Calvados", "Manche", "Seine-Maritime", "Orne"], "des départements"),
        ("Cofinanceur", ["CAF", "DREETS", "ARS", "CAF"], "des financeurs"),
    ],
)
def test_an_unmapped_column_of_amounts_places_or_funders_is_a_doubt(
    root: Path, header: str, values: list[str], what: str
):
    path = add_source(root, *FOLDER, "laureats", _with_column(header, values), manifest_fictif())
    code, report = _validate(path)
    found = _doubts(report)
    assert [(d["code"], d["column"]) for d in found] == [("unmapped_column", header)]
    assert what in found[0]["message"]
    assert "ignore:" in found[0]["fix"] and "confirmed:" in found[0]["fix"]
    assert found[0]["blocking"]
    assert code == 1


def test_an_unmapped_column_of_words_or_small_numbers_is_no_doubt(root: Path):
    data = _with_column("Nombre de familles", ["12", "30", "7", "45"])
    path = add_source(root, *FOLDER, "laureats", data, manifest_fictif())
    assert _validate(path) == (0, _validate(path)[1])
    assert _doubts(_validate(path)[1]) == []


def test_ignore_or_confirmed_settles_the_doubt(root: Path):
    data = _with_column("Montant DREETS", ["5 000 €", "2 000 €", "1 000 €", "3 000 €"])
    path = add_source(root, *FOLDER, "laureats", data, manifest_fictif(ignore=["montant dreets"]))
    assert _validate(path)[0] == 0
    manifest = path.with_suffix(".yaml")
    manifest.write_text(manifest_fictif(confirmed=["unmapped_column"]), encoding="utf-8")
    assert _validate(path)[0] == 0


@pytest.mark.parametrize(
    ("header", "years"),
    [
        ("Année", ["2023", "2024", "2024", "2025"]),
        ("Exercice budgétaire", ["2022", "2022", "2023", "2023"]),
        ("Session", ["2023", "2023", "2023", "2023"]),
    ],
)
def test_a_year_column_spanning_other_campaign_years_is_a_doubt(
    root: Path, header: str, years: list[str]
):
    path = add_source(root, *FOLDER, "laureats", _with_column(header, years), manifest_fictif())
    code, report = _validate(path)
    found = _doubts(report)
    assert [d["code"] for d in found] == ["several_years"]
    assert "year: 2024" in found[0]["message"]
    assert code == 1


def test_a_year_column_of_the_manifest_year_alone_is_no_doubt(root: Path):
    data = _with_column("Année", ["2024"] * 4)
    path = add_source(root, *FOLDER, "laureats", data, manifest_fictif())
    code, report = _validate(path)
    assert _doubts(report) == []
    assert code == 0


def test_a_doubted_source_is_held_back_from_publication(root: Path):
    data = _with_column("Année", ["2023", "2024", "2024", "2025"])
    add_source(root, *FOLDER, "laureats", data, manifest_fictif())
    (staged,) = [hold_back(stage_source(s.manifest, root / "raw")) for s in discover(root / "raw")]
    assert staged.error is not None and staged.source["status"] == "refused"
    assert "lecture à confirmer" in staged.error.message
    assert "plusieurs années" in staged.error.message


def test_an_unknown_confirmed_code_is_a_clear_manifest_error(root: Path):
    manifest = yaml.safe_load(manifest_fictif())
    manifest["confirmed"] = ["tout_va_bien"]
    path = add_source(root, *FOLDER, "laureats", csv_fictif(), yaml.safe_dump(manifest))
    code, report = _validate(path)
    assert code == 2
    assert "doute inconnu tout_va_bien" in json.dumps(report, ensure_ascii=False)


@pytest.mark.parametrize("amount_header", ["Montant (€)", "Subvention (en €)", "Aide €"])
def test_a_list_over_three_years_drafted_under_a_middle_year_is_never_ready(
    root: Path, amount_header: str
):
    """A CSV covering three campaign years, an « Année » column and an amount header with its unit,
    filed under 2024: the draft maps the amount and the years (no doubt left), and the 2025 line,
    later than the folder's year, is rejected with its reason rather than filed under 2024."""
    rows = [
        ["Association Fictive A", "Café des parents", "14", "2023", "10 000 €"],
        ["Crèche Fictive B", "Passerelle", "50", "2024", "8 000 €"],
        ["Centre Fictif C", "Ateliers", "61", "2025", "6 500 €"],
    ]
    header = ["Structure porteuse", "Intitulé du projet", "Département", "Année", amount_header]
    folder = root / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    path = folder / "laureats-2023-2025.csv"
    path.write_bytes(csv_fictif(rows, header=header, total="24 500,00 €"))
    drafted = CliRunner().invoke(
        main, ["new-source", str(path), "--region", "28", "--year", "2024"]
    )
    assert drafted.exit_code == 0, drafted.output
    assert f"amount_eur        ← « {amount_header} »" in drafted.output
    assert "year              ← « Année »" in drafted.output and "DOUTE" not in drafted.output
    assert "2023, 2024, 2025" in drafted.output
    complete_as_contributor(path.with_suffix(".yaml"))
    code, report = _validate(path)
    (source,) = report["sources"]
    assert _doubts(report) == []
    assert source["computed"]["total_eur"] == 18000
    (error,) = [p for p in source["problems"] if p["severity"] == "error"]
    assert error["value"] == "2025" and "après l'année du dossier (year: 2024" in error["message"]
    assert code == 1


def test_a_mapped_year_column_is_no_doubt_but_another_one_is(root: Path):
    data = csv_fictif(
        [r + [y, y] for r, y in zip(LAUREATS_FICTIFS, ["2023", "2024", "2024", "2023"])],
        header=[*EN_TETE_FICTIF, "Année", "Exercice"],
    )
    manifest = yaml.safe_load(manifest_fictif())
    manifest["columns"]["year"] = "Année"
    path = add_source(root, *FOLDER, "laureats", data, yaml.safe_dump(manifest))
    code, report = _validate(path)
    assert [(d["code"], d["column"]) for d in _doubts(report)] == [("several_years", "Exercice")]
    assert "columns: {year: Exercice}" in _doubts(report)[0]["fix"]
    assert code == 1
