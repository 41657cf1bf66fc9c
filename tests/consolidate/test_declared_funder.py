"""`declared.funder`: an announced total whose funder the announcement names sits on that funder's
row of funding_by_region_year, not on NC (fictitious campaigns and manifests)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipelines.common.problems import SourceError
from pipelines.consolidate.funding import funding_rows
from pipelines.read.manifest_file import load_manifest

MANIFEST = """# Manifeste fictif
source:
  publisher: Éditeur fictif
  url: https://exemple.invalid/fictif
  retrieved: 2024-01-01
  licence: etalab-2.0
region: "75"
year: 2022
campaign:
  id: fic-2022-aap
  title: Appel fictif
table: awards
columns:
  beneficiary_name: Porteur
declared:
  awards_count: 38
  total_amount_eur: 650000
{funder}"""


def campaign(declared_funder: str | None) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "campaign_id": "fic-2022-aap",
                "region_code": "75",
                "year": 2022,
                "year_qualifier": "exact",
                "kind": "call",
                "envelope_eur": None,
                "envelope_qualifier": None,
                "declared_awards_count": 38,
                "declared_awards_qualifier": "exact",
                "declared_total_eur": 650000.0,
                "declared_total_qualifier": "exact",
                "declared_funder": declared_funder,
            }
        ]
    )


AWARDS = pd.DataFrame(
    {
        "region_code": ["75"],
        "year": [2022],
        "funder": ["ETAT"],
        "campaign_id": ["fic-2022-aap"],
        "amount_eur": [None],
    }
)
BUDGETS = pd.DataFrame(columns=["campaign_id", "funder", "amount_eur", "qualifier"])


@pytest.mark.parametrize(
    ("declared_funder", "funders"), [(None, ["ETAT", "NC"]), ("ETAT", ["ETAT"])]
)
def test_a_named_funder_makes_one_row(declared_funder: str | None, funders: list[str]) -> None:
    rows = funding_rows(AWARDS, BUDGETS, campaign(declared_funder))
    assert [r["funder"] for r in rows] == funders
    total = [r for r in rows if r["declared_total_eur"] is not None]
    assert [(r["funder"], r["declared_total_eur"], r["declared_awards_count"]) for r in total] == [
        (declared_funder or "NC", 650000.0, 38.0)
    ]


@pytest.mark.parametrize(("written", "code"), [("État", "ETAT"), ("ETAT", "ETAT"), ("ARS", "ARS")])
def test_the_manifest_takes_a_code_or_an_alias(tmp_path: Path, written: str, code: str) -> None:
    path = tmp_path / "fictif.yaml"
    path.write_text(MANIFEST.format(funder=f"  funder: {written}\n"), encoding="utf-8")
    assert load_manifest(path).declared.funder == code


def test_an_unknown_funder_is_refused_with_the_key_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "fictif.yaml"
    path.write_text(MANIFEST.format(funder="  funder: Mécène inconnu\n"), encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_manifest(path)
    text = raised.value.describe()
    assert "declared.funder" in text and "« Mécène inconnu »" in text and "defaults.funder" in text
