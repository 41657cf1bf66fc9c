"""A year the source does not give (`campaign.year_qualifier: probable`) says so in every table that
has a year (a fictitious list, in its two variants)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.consolidate.tables import consolidate
from pipelines.stage.source import stage_source

CSV = "Porteur;Montant\nAssociation fictive A;1 000 €\nAssociation fictive B;2 000 €\n"
MANIFEST = """# Liste fictive
source:
  publisher: Éditeur fictif
  url: https://exemple.invalid/fictif
  retrieved: 2024-01-01
  licence: etalab-2.0
region: "24"
year: 2021
campaign:
  id: fic-2021-aap
  title: Appel fictif
  year_qualifier: {year_qualifier}
table: awards
read:
  delimiter: ";"
columns:
  beneficiary_name: Porteur
  amount_eur: Montant
defaults:
  funder: ARS
declared:
  awards_count: 2
"""


@pytest.mark.parametrize("year_qualifier", ["exact", "probable"])
def test_every_table_with_a_year_says_how_sure_it_is(tmp_path: Path, year_qualifier: str) -> None:
    folder = tmp_path / "raw" / "centre-val-de-loire" / "2021"
    folder.mkdir(parents=True)
    (folder / "laureats.csv").write_text(CSV, encoding="utf-8")
    (folder / "laureats.yaml").write_text(
        MANIFEST.format(year_qualifier=year_qualifier), encoding="utf-8"
    )
    staged = stage_source(folder / "laureats.yaml", tmp_path / "raw")
    assert staged.status == "ok", staged.source["message"]
    tables = consolidate([staged]).tables
    for name in ("campaigns", "awards", "sources", "funding_by_region_year", "figures"):
        assert len(tables[name]) and set(tables[name]["year_qualifier"]) == {year_qualifier}, name
