"""A budget line keeps its wording: as the file or the manifest says it, else as its campaign's
envelope is worded, else exact (fictitious files, perturbed from one clean announcement)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.consolidate.tables import consolidate
from pipelines.stage.source import stage_source

CSV = "Financeur;Ligne;Montant;Précision\nARS;FIR fictif;40 000 €;{first}\nDREETS;BOP fictif;50 000 €;\n"
MANIFEST = """# Annonce fictive
source:
  publisher: Éditeur fictif
  url: https://exemple.invalid/fictif
  retrieved: 2024-01-01
  licence: etalab-2.0
region: "24"
year: 2022
campaign:
  id: fic-2022-aap
  title: Appel fictif
{envelope}table: campaign_budgets
read:
  delimiter: ";"
columns:
  funder: Financeur
  budget_line: Ligne
  amount_eur: Montant
{column}{defaults}"""


def budgets(tmp: Path, first: str = "", envelope: str = "", column: str = "", defaults: str = ""):
    folder = tmp / "raw" / "centre-val-de-loire" / "2022"
    folder.mkdir(parents=True)
    (folder / "enveloppes.csv").write_text(CSV.format(first=first), encoding="utf-8")
    (folder / "enveloppes.yaml").write_text(
        MANIFEST.format(envelope=envelope, column=column, defaults=defaults), encoding="utf-8"
    )
    staged = stage_source(folder / "enveloppes.yaml", tmp / "raw")
    assert staged.status == "ok", staged.source["message"]
    tables = consolidate([staged]).tables
    lines = tables["campaign_budgets"].set_index("funder")["qualifier"].to_dict()
    funding = tables["funding_by_region_year"].set_index("funder")["envelope_qualifier"].to_dict()
    return lines, funding, tables["campaigns"]["envelope_qualifier"].tolist()


def test_lines_given_as_is_are_exact_and_their_total_is_ours(tmp_path: Path) -> None:
    lines, funding, campaign = budgets(tmp_path)
    assert lines == funding == {"ARS": "exact", "DREETS": "exact"}
    assert campaign == ["sum"]


def test_an_envelope_worded_a_minima_words_its_lines(tmp_path: Path) -> None:
    envelope = "  envelope_eur: 90000\n  envelope_qualifier: minimum\n"
    lines, funding, campaign = budgets(tmp_path, envelope=envelope)
    assert lines == funding == {"ARS": "minimum", "DREETS": "minimum"}
    assert campaign == ["minimum"]


@pytest.mark.parametrize("written", ["environ", "approximate"])
def test_the_manifest_words_every_line(tmp_path: Path, written: str) -> None:
    lines, _, campaign = budgets(tmp_path, defaults=f"defaults:\n  qualifier: {written}\n")
    assert lines == {"ARS": "approximate", "DREETS": "approximate"}
    assert campaign == ["approximate"]  # a sum of approximations is an approximation


def test_the_file_words_one_line_and_the_sum_says_so(tmp_path: Path) -> None:
    lines, _, campaign = budgets(tmp_path, first="au moins", column="  qualifier: Précision\n")
    assert lines == {"ARS": "minimum", "DREETS": "exact"}
    assert campaign == ["minimum"]  # with a minimum in it, the sum is a minimum
