"""A laureate taken for the header is a doubt: a header row holding an amount or a département
code stops « Prêt à soumettre » (exit 1), whatever the format, until the manifest points at the
real header or names the columns by their place (`read.columns_by_position`).

Every file here is fictitious (tests/fictif.py); the scanned case is in
tests/contribute/test_scanned_tables.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assets.cli import main
from pipelines.common.doubts import DOUBT_CODES
from pipelines.stage.source import stage_source
from tests.conftest import add_source
from tests.fictif import LAUREATS_FICTIFS, TITRE_FICTIF, TOTAL_FICTIF, manifest_fictif

FOLDER = ("normandie", 2024)


def _validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def _headerless_csv(rows: list[list[str]]) -> bytes:
    """The list published without its header row: a title, a blank line, then the laureates."""
    lines = [[TITRE_FICTIF], [], *rows, ["TOTAL", "", "", "41 734,50 €", ""]]
    return ("\r\n".join(";".join(r) for r in lines) + "\r\n").encode("cp1252")


@pytest.mark.parametrize(
    ("rows", "shown"),
    [
        # the first laureate as published: « 14 - Calvados », « 12 500,00 € »
        (
            LAUREATS_FICTIFS,
            ["« 14 - Calvados » est un code de département", "« 12 500,00 € » est un montant"],
        ),
        # the same list, its first laureate moved down: « 76 », « 1.234,50 »
        (
            [LAUREATS_FICTIFS[2], *LAUREATS_FICTIFS[:2], LAUREATS_FICTIFS[3]],
            ["« 76 » est un code de département", "« 1.234,50 » est un montant"],
        ),
    ],
)
def test_a_laureate_taken_for_the_header_is_a_doubt(root: Path, rows, shown):
    first = rows[0]
    columns = {
        "beneficiary_name": first[0],
        "project_title": first[1],
        "department": first[2],
        "amount_eur": first[3],
    }
    manifest = manifest_fictif(columns=columns)
    path = add_source(root, *FOLDER, "sans-entete", _headerless_csv(rows), manifest)
    code, report = _validate(path)
    doubts = [p for s in report["sources"] for p in s["problems"] if p["code"] in DOUBT_CODES]
    assert [(d["code"], d["row"]) for d in doubts] == [("header_like_data", 3)]
    assert all(x in doubts[0]["message"] for x in shown), doubts[0]["message"]
    assert (
        "la ligne prise pour l'en-tête (ligne 3) ressemble à une ligne de données"
        in (doubts[0]["message"])
    )
    assert "read.header_row" in doubts[0]["fix"] and "read.columns_by_position" in doubts[0]["fix"]
    assert code == 1
    # Three laureates read at most: the first one is lost in the header.
    source = report["sources"][0]
    assert source["rows_accepted"] + source["rows_rejected"] == 3

    # Settled as the message says: the columns by their place, under the title line.
    positional = yaml.safe_load(manifest)
    positional["read"].update(header_row=1, columns_by_position=True)
    positional["columns"] = {name: f"colonne {i}" for i, name in enumerate(columns, start=1)}
    path.with_suffix(".yaml").write_text(yaml.safe_dump(positional), encoding="utf-8")
    code, report = _validate(path)
    assert code == 0, report
    staged = stage_source(path.with_suffix(".yaml"), root / "raw")
    assert len(staged.rows) == 4
    assert staged.rows["amount_eur"].sum() == pytest.approx(TOTAL_FICTIF)


def test_columns_by_position_needs_the_line_above_the_first_laureate(root: Path):
    manifest = yaml.safe_load(manifest_fictif())
    manifest["read"]["columns_by_position"] = True
    path = add_source(
        root, *FOLDER, "sans-entete", _headerless_csv(LAUREATS_FICTIFS), yaml.safe_dump(manifest)
    )
    code, report = _validate(path)
    assert code == 2
    assert "read.columns_by_position demande read.header_row" in json.dumps(
        report, ensure_ascii=False
    )


@pytest.mark.parametrize(
    "header",
    [
        [
            "Structure porteuse",
            "Intitulé du projet",
            "Département",
            "Montant 2024 (€)",
            "Observations",
        ],
        ["Structure porteuse", "Intitulé du projet", "Département", "Montant accordé", "2024"],
    ],
)
def test_a_header_with_a_year_or_a_unit_is_no_doubt(root: Path, header: list[str]):
    from tests.fictif import csv_fictif

    columns = {
        "beneficiary_name": "Structure porteuse",
        "project_title": "Intitulé du projet",
        "department": "Département",
        "amount_eur": header[3],
    }
    path = add_source(
        root,
        *FOLDER,
        "laureats",
        csv_fictif(header=header),
        manifest_fictif(columns=columns, ignore=[header[4]]),
    )
    code, report = _validate(path)
    assert [
        p["code"] for s in report["sources"] for p in s["problems"] if p["code"] in DOUBT_CODES
    ] == []
    assert code == 0


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    return tmp_path


def test_new_source_names_the_columns_by_place_when_no_header_is_found(root: Path):
    """The same headerless list given to new-source: no laureate taken for the header, the
    columns by their place under the blank line, proposed from what they hold."""
    folder = root / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    path = folder / "sans-entete.csv"
    path.write_bytes(_headerless_csv(LAUREATS_FICTIFS))
    drafted = CliRunner().invoke(
        main, ["new-source", str(path), "--region", "28", "--year", "2024"]
    )
    assert drafted.exit_code == 0, drafted.output
    assert "en-tête introuvable : colonnes par leur rang, read.header_row à la ligne 2" in (
        drafted.output
    )
    assert "la ligne 3 se lit comme un lauréat" in drafted.output
    assert "4 acceptées" in drafted.output and "DOUTE" not in drafted.output
    draft = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert draft["read"]["header_row"] == 2 and draft["read"]["columns_by_position"] is True
    assert draft["columns"] == {
        "beneficiary_name": "colonne 1",
        "project_title": "colonne 2",
        "department": "colonne 3",
        "amount_eur": "colonne 4",
    }
