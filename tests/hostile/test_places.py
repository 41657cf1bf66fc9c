"""What `mille-jours validate` accepts is what `publish` publishes: both find sources with one
function (pipelines/read/discovery.py), so a manifest validate reads is a source publish reads, and
a misplaced one, or one named like another, is refused by both with where it must go.
Every file here is fictitious (« fictif »)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from assets.cli import main
from assets.publication import publish_all
from tests.fictif import csv_fictif
from tests.hostile.cases import manifest

# Where a contributor may drop a list by mistake, and the French message each gets.
MISPLACED = {
    "normandie/2024/volet2": "seuls les manifestes rangés à raw/<région>/<année>/<fichier>.yaml",
    "normandie/2024-bis": "le dossier « 2024-bis » n'est pas une année",
    "_essai/2024": "un dossier dont le nom commence par « _ » n'est pas une région",
    "normandie": "seuls les manifestes rangés à raw/<région>/<année>/<fichier>.yaml",
}
NFC = unicodedata.normalize("NFC", "lauréats-fictif")
NFD = unicodedata.normalize("NFD", "lauréats-fictif")
SAME_NAMES = (NFC, NFD, "Laureats-fictif", "laureats-fictif")


def drop(raw: Path, folder: str, name: str) -> None:
    where = raw / folder
    where.mkdir(parents=True, exist_ok=True)
    (where / f"{name}.csv").write_bytes(csv_fictif())
    (where / f"{name}.yaml").write_text(manifest(name), encoding="utf-8")


def validate(*paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *map(str, paths)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("folder", list(MISPLACED))
def test_a_misplaced_manifest_is_refused_with_where_it_must_go(tmp_path: Path, folder: str):
    raw = tmp_path / "raw"
    drop(raw, folder, "liste-fictif")
    for path in (raw, raw / folder, raw / folder / "liste-fictif.csv"):
        code, out = validate(path)
        assert code == 2, out
        assert MISPLACED[folder] in out, out
        assert "correction : ranger le fichier et son manifeste à raw/<région>/<année>/" in out
        assert "Prêt à soumettre" not in out


def test_names_that_macos_and_windows_take_for_one_file_are_refused(tmp_path: Path):
    raw = tmp_path / "raw"
    for name in SAME_NAMES:
        drop(raw, "normandie/2024", name)
    assert len(list((raw / "normandie" / "2024").glob("*.yaml"))) == 4  # four files on Linux
    code, out = validate(raw / "normandie" / "2024")
    assert code == 2, out
    assert out.count("ne diffèrent que par les majuscules ou par la forme Unicode") == 4, out
    assert f"« raw/normandie/2024/{NFC}.yaml » et « raw/normandie/2024/{NFD}.yaml »" in out
    assert (
        "« raw/normandie/2024/Laureats-fictif.yaml » et « raw/normandie/2024/laureats-fictif" in out
    )
    assert "correction : garder un seul de ces fichiers" in out


def test_the_well_placed_neighbour_is_still_accepted(tmp_path: Path):
    raw = tmp_path / "raw"
    drop(raw, "normandie/2024", "liste-fictif")
    drop(raw, "normandie/2024/volet2", "volet-fictif")
    code, out = validate(raw / "normandie" / "2024" / "liste-fictif.csv")
    assert code == 0, out
    code, out = validate(raw)
    assert code == 2 and "1 acceptée" in out.replace("acceptées", "acceptée"), out


def test_publish_refuses_what_validate_refuses_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / ".dagster"))
    raw = tmp_path / "raw"
    drop(raw, "normandie/2024", "liste-fictif")
    for i, folder in enumerate(MISPLACED):
        drop(raw, folder, f"egaree{i}-fictif")
    drop(raw, "normandie/2024", "Liste-fictif")
    outcome = publish_all(tmp_path)
    sources = pd.read_csv(tmp_path / "published" / "data" / "sources.csv", dtype=str)
    sources = sources.set_index("source_id")
    for i, folder in enumerate(MISPLACED):
        row = sources.loc[f"{folder}/egaree{i}-fictif"]
        assert row["status"] == "refused", row
        assert MISPLACED[folder] in row["message"], row["message"]
        assert "À faire : ranger le fichier et son manifeste" in row["message"]
    for name in ("liste-fictif", "Liste-fictif"):
        row = sources.loc[f"normandie/2024/{name}"]
        assert row["status"] == "refused" and "ne diffèrent que par" in row["message"]
        assert "À faire : garder un seul de ces fichiers" in row["message"]
    awards = pd.read_csv(tmp_path / "published" / "data" / "awards.csv", dtype=str)
    assert awards.empty  # nothing of a refused source is published
    assert any("egaree0-fictif" in line for line in outcome.lines), outcome.lines
