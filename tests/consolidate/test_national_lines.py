"""National lines of the policy (contracts with the départements, a national experiment) stay in
their own table: never a campaign, never added to funding_by_region_year (fictitious sources,
perturbed from clean ones; one test on the real raw/)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipelines.consolidate.tables import consolidate
from pipelines.read.discovery import discover
from pipelines.stage.source import stage_source
from tests.conftest import REPO, add_source

CALL = "Financeur;Ligne;Montant\nARS;FIR fictif;40 000 €\nDREETS;BOP fictif;60 000 €\n"
CALL_MANIFEST = """# Appel régional fictif
source:
  publisher: Éditeur fictif
  url: https://exemple.invalid/appel-fictif
  retrieved: 2024-01-01
  licence: etalab-2.0
region: "24"
year: 2022
campaign:
  id: fic-2022-aap
  title: Appel fictif
table: campaign_budgets
read:
  delimiter: ";"
columns:
  funder: Financeur
  budget_line: Ligne
  amount_eur: Montant
"""
LINES = (
    "Ligne;Intitulé;Dispositif;Année;Montant;Précision;Départements\n"
    "fic-pmi-2022;Contrats fictifs avec les départements;pmi_contracts;2022;40 000 000;;80\n"
    "fic-repap;Expérimentation fictive;repap;2022;1 200 000;plus de;\n"
)
LINES_MANIFEST = """# Lignes nationales fictives
source:
  publisher: Éditeur fictif
  url: https://exemple.invalid/lignes-fictives
  retrieved: 2024-01-01
  licence: information-publique
  note: "« 40 millions pour 80 départements » ; « plus de 1,2 million » (citations fictives)."
region: {region}
year: 2022
campaign:
  id: fic-lignes
  title: Lignes nationales fictives
table: national_lines
read:
  delimiter: ";"
columns:
  line_id: Ligne
  title: Intitulé
  programme: Dispositif
  year_start: Année
  amount_eur: Montant
  amount_qualifier: Précision
  beneficiaries_count: Départements
defaults:
  beneficiaries_kind: départements
"""
REVISED = "Ligne;Intitulé;Dispositif;Année;Montant\nfic-repap-revise;Budget révisé fictif;repap;2022;900 000\n"


def staged_sources(root: Path, region: str = "France", revised: bool = False) -> list:
    add_source(root, "centre-val-de-loire", 2022, "enveloppes", CALL, CALL_MANIFEST)
    folder = "france" if region == "France" else "centre-val-de-loire"
    add_source(root, folder, 2022, "lignes", LINES, LINES_MANIFEST.format(region=region))
    if revised:
        manifest = LINES_MANIFEST.format(region="France").replace("lignes-fictives", "revise")
        manifest = manifest.split("  amount_qualifier")[0]
        add_source(root, "france", 2022, "revise", REVISED, manifest)
    return [stage_source(s.manifest, root / "raw") for s in discover(root / "raw")]


def test_national_lines_are_their_own_table_with_their_wording(tmp_path: Path) -> None:
    tables = consolidate(staged_sources(tmp_path)).tables
    lines = tables["national_lines"].set_index("line_id")
    assert lines.loc["fic-pmi-2022", ["amount_eur", "amount_qualifier"]].tolist() == [
        40_000_000.0,
        "exact",
    ]
    assert lines.loc[
        "fic-pmi-2022", ["beneficiaries_count", "beneficiaries_qualifier"]
    ].tolist() == [
        80,
        "exact",
    ]
    assert lines.loc["fic-pmi-2022", "beneficiaries_kind"] == "départements"
    assert lines.loc["fic-repap", ["amount_eur", "amount_qualifier"]].tolist() == [
        1_200_000.0,
        "minimum",
    ]
    # Without a count, its wording stays empty: no « exact » said of a figure not given.
    assert pd.isna(lines.loc["fic-repap", "beneficiaries_qualifier"])
    assert set(lines["scope"]) == {"national"}
    # Never a campaign: neither in campaigns nor named by its source's row.
    assert tables["campaigns"]["campaign_id"].tolist() == ["fic-2022-aap"]
    source = tables["sources"].set_index("source_id").loc["france/2022/lignes"]
    assert (source["table"], pd.isna(source["campaign_id"])) == ("national_lines", True)


def test_national_lines_never_reach_funding_by_region_year(tmp_path: Path) -> None:
    with_lines = consolidate(staged_sources(tmp_path)).tables
    alone = consolidate(
        [
            stage_source(
                tmp_path / "raw" / "centre-val-de-loire" / "2022" / "enveloppes.yaml",
                tmp_path / "raw",
            )
        ]
    ).tables
    pd.testing.assert_frame_equal(
        with_lines["funding_by_region_year"], alone["funding_by_region_year"]
    )
    assert with_lines["funding_by_region_year"]["envelope_eur"].sum() == 100_000


def test_a_revised_figure_is_one_line_more_never_in_place_of_the_first(tmp_path: Path) -> None:
    lines = consolidate(staged_sources(tmp_path, revised=True)).tables["national_lines"]
    repap = lines[lines["programme"] == "repap"].set_index("line_id")
    assert repap["amount_eur"].to_dict() == {
        "fic-repap": 1_200_000.0,
        "fic-repap-revise": 900_000.0,
    }
    assert repap["source_id"].to_dict() == {
        "fic-repap": "france/2022/lignes",
        "fic-repap-revise": "france/2022/revise",
    }


def test_a_national_line_filed_under_a_region_is_refused_in_french(tmp_path: Path) -> None:
    staged = {s.source_id: s for s in staged_sources(tmp_path, region='"24"')}
    line = staged["centre-val-de-loire/2022/lignes"]
    assert line.status == "bad_manifest"
    assert "une ligne nationale n'est celle d'aucune région" in line.source["message"]
    assert "region: France" in line.source["message"]


@pytest.mark.parametrize("amount", ["600 000 000", "douze millions"])
def test_a_national_amount_out_of_bounds_is_a_rejected_row(tmp_path: Path, amount: str) -> None:
    staged = staged_sources(tmp_path)
    path = tmp_path / "raw" / "france" / "2022" / "lignes.csv"
    path.write_text(LINES.replace("40 000 000", amount), encoding="utf-8")
    line = stage_source(path.with_suffix(".yaml"), tmp_path / "raw")
    assert line.status == "rejected_rows"
    assert line.rejects["column"].tolist()[0] == "Montant"
    tables = consolidate([s for s in staged if s.table != "national_lines"] + [line]).tables
    assert tables["national_lines"]["line_id"].tolist() == ["fic-repap"]


def test_real_pmi_and_repap_lines_apart_from_the_calls() -> None:
    staged = [stage_source(s.manifest, REPO / "raw") for s in discover(REPO / "raw")]
    tables = consolidate(staged).tables
    lines = tables["national_lines"].set_index("line_id")
    assert lines.loc[
        ["pmi-2021", "pmi-2022"], ["amount_eur", "beneficiaries_count"]
    ].to_numpy().tolist() == [
        [35_000_000.0, 70],
        [50_000_000.0, 101],
    ]
    assert lines.loc["repap-budget-initial", ["amount_eur", "amount_qualifier"]].tolist() == [
        1_500_000.0,
        "minimum",
    ]
    assert lines.loc["repap-budget-revise", ["amount_eur", "amount_qualifier"]].tolist() == [
        930_053.0,
        "exact",
    ]
    without = consolidate([s for s in staged if s.table != "national_lines"]).tables
    pd.testing.assert_frame_equal(
        tables["funding_by_region_year"], without["funding_by_region_year"]
    )
    assert len(tables["campaigns"]) == len(without["campaigns"])
