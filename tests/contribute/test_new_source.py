"""`mille-jours new-source`: a manifest drafted from the file itself. Every file here is fictitious."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assets.cli import main
from pipelines.read.headers import SPELLINGS, propose_columns
from pipelines.read.manifest_file import load_manifest
from tests.fictif import (
    EN_TETE_FICTIF,
    LAUREATS_FICTIFS,
    complete_as_contributor,
    csv_fictif,
)


def new_source(path: Path, *args: str):
    result = CliRunner().invoke(main, ["new-source", str(path), *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def liste_fictive(tmp_path: Path) -> Path:
    """The messy fictitious Normandie list, where a contributor would drop it."""
    folder = tmp_path / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    path = folder / "laureats-fictifs.csv"
    path.write_bytes(csv_fictif())
    return path


def test_draft_detects_layout_and_columns(liste_fictive: Path):
    result = new_source(liste_fictive, "--region", "Normandie", "--year", "2024")
    assert result.exit_code == 0, result.output
    manifest_path = liste_fictive.with_suffix(".yaml")
    data = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    assert data["region"] == "28" and data["year"] == 2024 and data["table"] == "awards"
    assert data["campaign"]["id"] == "normandie-2024-aap"
    assert data["read"] == {"encoding": "cp1252", "delimiter": ";", "decimal": ",", "header_row": 4}
    assert data["columns"] == {
        "beneficiary_name": "Structure porteuse",
        "project_title": "Intitulé du projet",
        "department": "Département",
        "amount_eur": "Montant accordé",
    }
    assert data["defaults"] == {"funder": "NC"}
    text = manifest_path.read_text(encoding="utf-8")
    # What it could not decide is said in comments, beside the key.
    assert "# Colonnes non reprises, donc non publiées : « Observations »." in text
    assert "#   total_amount_eur: 41734.50   # lu sur la ligne TOTAL du fichier (ligne 9)" in text
    assert "À VÉRIFIER : le fichier ne dit pas qui finance" in text
    assert "en-tête trouvé ligne 4" in result.stdout
    assert (
        "essai de lecture : 9 lignes lues = 4 acceptées + 0 rejetée + 5 ignorées" in result.stdout
    )


def test_draft_loads_as_is_but_validate_waits_for_the_placeholders(liste_fictive: Path):
    assert new_source(liste_fictive, "--region", "28", "--year", "2024").exit_code == 0
    manifest_path = liste_fictive.with_suffix(".yaml")
    manifest = load_manifest(manifest_path)  # the draft is a valid manifest already
    assert manifest.source.publisher.startswith("À COMPLÉTER")

    result = CliRunner().invoke(main, ["validate", str(manifest_path)])
    assert result.exit_code == 2
    assert "MANIFESTE À COMPLÉTER" in result.stdout
    assert "[À COMPLÉTER] laureats-fictifs.yaml, manifeste, clé source.publisher" in result.stdout
    assert "clé source.url" in result.stdout

    complete_as_contributor(manifest_path, awards_count=4)
    result = CliRunner().invoke(main, ["validate", str(manifest_path)])
    assert result.exit_code == 0, result.output
    assert load_manifest(manifest_path).declared.total_amount_eur == 41734.5


def test_refuses_to_overwrite_without_force(liste_fictive: Path):
    manifest_path = liste_fictive.with_suffix(".yaml")
    manifest_path.write_text("# relu à la main\n", encoding="utf-8")
    result = new_source(liste_fictive, "--region", "28", "--year", "2024")
    assert result.exit_code == 2
    assert "un manifeste existe déjà" in result.stderr and "--force" in result.stderr
    assert manifest_path.read_text(encoding="utf-8") == "# relu à la main\n"
    assert new_source(liste_fictive, "--region", "28", "--year", "2024", "--force").exit_code == 0
    assert yaml.safe_load(manifest_path.read_text(encoding="utf-8"))["region"] == "28"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--region", "Atlantide", "--year", "2024"], "région inconnue « Atlantide »"),
        (["--region", "28", "--year", "deux mille"], "Année invalide"),
        (["--year", "2024"], "Il manque --region"),
    ],
    ids=["region", "year", "missing-option"],
)
def test_bad_usage_is_explained(liste_fictive: Path, args: list[str], expected: str):
    result = new_source(liste_fictive, *args)
    assert result.exit_code == 2 and expected in result.stderr
    assert not liste_fictive.with_suffix(".yaml").exists()


def test_missing_or_unsupported_file(tmp_path: Path):
    result = new_source(tmp_path / "absent-fictif.csv", "--region", "28", "--year", "2024")
    assert result.exit_code == 2 and "Introuvable" in result.stderr
    odd = tmp_path / "laureats-fictifs.odt"
    odd.write_bytes(b"fictif")
    result = new_source(odd, "--region", "28", "--year", "2024")
    assert result.exit_code == 2 and "format « .odt » non pris en charge" in result.stderr
    assert "CSV, XLSX, ODS, PDF, HTML, JSON ou DOCX" in result.stderr
    fake = odd.rename(odd.with_suffix(".docx"))  # a supported extension, contents of another kind
    result = new_source(fake, "--region", "28", "--year", "2024")
    assert result.exit_code == 2 and "ce n'est pas un document Word .docx" in result.stderr


def test_amounts_per_funder_and_point_decimal(tmp_path: Path):
    header = [
        "Porteur du projet",
        "Nom du projet",
        "Montant ARS",
        "Montant DREETS",
        "Montant total",
    ]
    rows = [
        ["Association Fictive", "Projet fictif", "1000.50", "2000.00", "3000.50"],
        ["Crèche Fictive", "Autre projet fictif", "", "4000.25", "4000.25"],
    ]
    path = tmp_path / "laureats-fictifs.csv"
    path.write_bytes(csv_fictif(rows, header=header, total=""))
    assert new_source(path, "--region", "Normandie", "--year", "2023").exit_code == 0
    data = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert data["columns"] == {
        "beneficiary_name": "Porteur du projet",
        "project_title": "Nom du projet",
        "amount_eur_by_funder": {"ARS": "Montant ARS", "DREETS": "Montant DREETS"},
    }
    assert data["read"]["decimal"] == "."
    assert "defaults" not in data  # the funder is known from each amount column
    assert "« Montant total »" in path.with_suffix(".yaml").read_text(encoding="utf-8")


def test_campaign_of_the_folder_is_reused(project: Path):
    """Awards dropped beside the real Pays de la Loire envelopes link to the same campaign."""
    path = project / "raw" / "pays-de-la-loire" / "2022" / "laureats-fictifs.csv"
    path.write_bytes(
        csv_fictif([["Association Fictive", "Projet fictif", "Sarthe", "1 000 €", ""]])
    )
    assert new_source(path, "--region", "Pays de la Loire", "--year", "2022").exit_code == 0
    data = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert data["campaign"]["id"] == "pdl-2022-aap" and data["region"] == "52"


def test_file_outside_raw_is_told_where_to_go(tmp_path: Path):
    path = tmp_path / "telechargement-fictif.csv"
    path.write_bytes(csv_fictif())
    result = new_source(path, "--region", "Normandie", "--year", "2024")
    assert result.exit_code == 0
    assert "vont dans raw/normandie/2024/" in result.stdout


def test_personal_data_column_is_flagged_in_the_draft(liste_fictive: Path):
    header = EN_TETE_FICTIF + ["Courriel du référent"]
    rows = [r + ["referent.fictif@example.org"] for r in LAUREATS_FICTIFS]
    liste_fictive.write_bytes(csv_fictif(rows, header=header))
    result = new_source(liste_fictive, "--region", "28", "--year", "2024")
    assert result.exit_code == 0
    assert "données personnelles dans « Courriel du référent »" in result.stdout
    assert (
        "# ATTENTION : « Courriel du référent » contient des e-mails"
        in liste_fictive.with_suffix(".yaml").read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Porteur du projet", "beneficiary_name"),
        ("Structure porteuse", "beneficiary_name"),
        ("BÉNÉFICIAIRE", "beneficiary_name"),
        ("Organisme", "beneficiary_name"),
        ("Intitulé du projet", "project_title"),
        ("Nom du projet", "project_title"),
        ("Objet", "project_title"),
        ("Montant accordé", "amount_eur"),
        ("Montant attribué (en €)", "amount_eur"),
        ("Subvention", "amount_eur"),
        ("Département", "department"),
        ("Territoire", "department"),
        ("N° SIRET", "siret"),
        ("N° RNA", "rna"),
        ("Volet", "volet"),
        ("Axe", "theme"),
        ("Thématique", "theme"),
        ("Financeur", "funder"),
    ],
)
def test_known_spellings(label: str, field: str):
    columns, _by_funder, unmapped = propose_columns([label], SPELLINGS["awards"])
    assert columns == {field: label} and not unmapped


def test_requested_amount_is_not_the_awarded_amount():
    columns, _, unmapped = propose_columns(
        ["Montant demandé", "Montant accordé"], SPELLINGS["awards"]
    )
    assert columns == {"amount_eur": "Montant accordé"} and unmapped == ["Montant demandé"]
