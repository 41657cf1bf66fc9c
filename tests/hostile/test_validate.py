"""`mille-jours validate` on each hostile or broken input: a French message naming the place and the
fix, the right exit code, never a traceback, never the hostile content itself (tests/hostile/cases.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assets.cli import main
from tests.hostile.cases import CASES, SECRET

# English words of the libraries' own messages: a contributor reads French only.
ENGLISH = re.compile(
    r"Input should|should be|[Ff]ield required|Traceback|Error:|not allowed|expected"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    return tmp_path


@pytest.mark.parametrize("name", list(CASES))
def test_each_hostile_input_gets_its_french_message_and_exit_code(project: Path, name: str):
    case = CASES[name]
    for other in case.beside:
        CASES[other].build(
            project / "raw" / CASES[other].folder[0] / str(CASES[other].folder[1]), other
        )
    folder = project / "raw" / case.folder[0] / str(case.folder[1])
    case.build(folder, name)
    result = CliRunner().invoke(main, ["validate", str(project / "raw" if case.beside else folder)])
    out = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == case.exit, out[-3000:]
    assert case.message in out, out[-3000:]
    assert "erreur inattendue" not in out.lower()
    assert not ENGLISH.search(out.replace("expected_", "")), ENGLISH.search(out)
    assert SECRET not in out  # never quoted, neither behind a symlink nor in a long header line
    for line in out.splitlines():  # a long cell is never copied whole into the report
        assert len(line) < 2000


def test_a_pydantic_error_of_every_kind_reads_in_french(project: Path):
    """Several wrong types in one manifest: each key named, each message French."""
    CASES["types-fictif"].build(project / "raw" / "normandie" / "2024", "types-fictif")
    out = CliRunner().invoke(main, ["validate", str(project / "raw")]).output
    for expected in (
        "year : nombre entier attendu",
        "declared.awards_count : doit être au moins 0",
        "declared.total_amount_eur : nombre attendu",
        "partial : true ou false attendu",
        "read.header_row : nombre entier attendu",
        "read.skip_rows_matching : liste attendue",
    ):
        assert expected in out, out


def test_personal_data_is_reported_once_per_column_with_two_masked_examples(project: Path):
    from tests.fictif import LAUREATS_FICTIFS, csv_fictif, manifest_fictif

    header = [
        "Structure porteuse",
        "Intitulé du projet",
        "Département",
        "Montant accordé",
        "Contact",
    ]
    rows = [r[:4] + [f"referent{i}.fictif@exemple.invalid"] for i, r in enumerate(LAUREATS_FICTIFS)]
    folder = project / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    (folder / "contacts-fictif.csv").write_bytes(csv_fictif(rows, header=header))
    (folder / "contacts-fictif.yaml").write_text(manifest_fictif(), encoding="utf-8")
    out = CliRunner().invoke(main, ["validate", str(folder)]).output
    assert out.count("adresse e-mail dans le fichier") == 1
    assert "4 occurrences sur 4 lignes" in out
    assert "« r…@exemple.invalid »" in out  # masked examples, the same mask twice shown once
    assert "referent0.fictif" not in out
