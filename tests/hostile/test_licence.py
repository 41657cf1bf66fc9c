"""A source under « Tous droits réservés » beside publishable ones (all fictitious, « fictif »):
`validate` refuses it naming the file, the value and the accepted licences; `publish` leaves it out
alone, its row in `sources` saying why, and publishes the others with their licence's id."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from assets.cli import main
from assets.publication import publish_all
from schemas.licences import LICENCE_IDS
from tests.fictif import LAUREATS_FICTIFS, csv_fictif
from tests.hostile.cases import CASES, REGION, YEAR, manifest, write

REFUSED = "droits-reserves-fictif"
QUOTE = "« 2 projets fictifs retenus pour 20 500 € » (article de presse fictif du 3 mars)"


def build(root: Path) -> Path:
    folder = root / "raw" / REGION / str(YEAR)
    CASES[REFUSED].build(folder, REFUSED)
    write(folder, "ouverte-fictif", csv_fictif(), manifest("ouverte-fictif"))
    source = {
        "publisher": "Journal fictif",
        "url": "https://exemple.invalid/article-fictif",
        "retrieved": "2026-01-15",
        "licence": "information-publique",
        "note": QUOTE,
    }
    rows = LAUREATS_FICTIFS[:2]
    write(
        folder,
        "presse-fictif",
        csv_fictif(rows, total="20 500,00 €"),
        manifest("presse-fictif", source=source),
    )
    return folder


def test_validate_names_the_file_the_value_and_the_accepted_licences(tmp_path: Path):
    folder = build(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    refused = [line for line in result.output.splitlines() if "« Tous droits réservés »" in line]
    assert refused, result.output
    assert f"[ERREUR] {REFUSED}.yaml, clé source.licence" in result.output
    assert all(licence in " ".join(refused) for licence in LICENCE_IDS), refused
    assert "ouverte-fictif — ACCEPTÉE" in result.output
    assert "presse-fictif — ACCEPTÉE" in result.output


@pytest.fixture
def release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build(tmp_path)
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / ".dagster"))
    outcome = publish_all(tmp_path)
    assert (tmp_path / "published" / "datapackage.json").exists(), "\n".join(outcome.lines)
    return tmp_path / "published"


def test_publish_leaves_the_refused_source_out_and_the_others_keep_their_licence(release: Path):
    sources = pd.read_csv(
        release / "data" / "sources.csv", dtype=str, keep_default_na=False
    ).set_index("source_id")
    refused = sources.loc[f"{REGION}/{YEAR}/{REFUSED}"]
    assert refused["status"] == "bad_manifest"
    assert "n'est pas une licence acceptée" in refused["message"]
    assert refused["licence"] == ""  # never « Tous droits réservés » under the Licence Ouverte
    assert sources.loc[f"{REGION}/{YEAR}/ouverte-fictif", "licence"] == "etalab-2.0"
    assert sources.loc[f"{REGION}/{YEAR}/presse-fictif", "licence"] == "information-publique"
    assert sources.loc[f"{REGION}/{YEAR}/presse-fictif", "note"] == QUOTE
    awards = pd.read_csv(release / "data" / "awards.csv", dtype=str, keep_default_na=False)
    assert set(awards["source_id"]) == {
        f"{REGION}/{YEAR}/ouverte-fictif",
        f"{REGION}/{YEAR}/presse-fictif",
    }
    assert not list(release.rglob(f"{REFUSED}*"))  # the file itself is not republished
