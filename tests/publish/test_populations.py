"""The denominators: INSEE populations in the regions and departements tables of the package."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from frictionless import Package

from pipelines.publish.denominators import per_thousand_inhabitants
from schemas.tables import TABLES


def test_regions_and_departements_carry_their_population_and_its_year(
    published_package: Path,
) -> None:
    deps = pd.read_csv(
        published_package / "data" / "departements.csv",
        dtype={"department_code": str, "region_code": str},
    )
    regions = pd.read_csv(published_package / "data" / "regions.csv", dtype={"region_code": str})
    for table in (deps, regions):
        assert {"population", "population_year"} <= set(table.columns)
        assert table["population"].notna().all() and (table["population"] > 0).all()
    years = dict(zip(deps["department_code"], deps["population_year"]))
    assert years["59"] == 2023 and years["976"] == 2017  # Mayotte: the 2017 census, said so
    # A region's population is that of its départements, the INSEE figures summed one way only.
    summed = deps.groupby("region_code")["population"].sum()
    assert dict(summed) == dict(zip(regions["region_code"], regions["population"]))
    assert deps.loc[deps["department_code"] == "59", "population"].item() > 2_000_000


def test_the_population_fields_name_their_source_and_vintage() -> None:
    for name in ("regions", "departements"):
        [field] = [f for f in TABLES[name].fields if f.name == "population"]
        assert "millésime 2023" in field.description and "insee.fr" in field.description


def test_frictionless_validates_the_package_with_its_populations(published_package: Path) -> None:
    package = Package(str(published_package / "datapackage.json"))
    schema = package.get_resource("departements").schema
    assert schema.get_field("population").type == "integer"
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_euros_per_inhabitant_only_beside_an_exact_total() -> None:
    regions = pd.DataFrame(
        {"region_code": ["24"], "population": [2_000_000], "population_year": [2023]}
    )
    campaigns = pd.DataFrame(
        {
            "campaign_id": ["fictif-exact", "fictif-minimum", "fictif-somme", "fictif-absent"],
            "scope": ["regional"] * 4,
            "region_code": ["24"] * 4,
            "declared_total_eur": [500_000.0, 500_000.0, 500_000.0, None],
            "declared_total_qualifier": ["exact", "minimum", "sum", None],
        }
    )
    said = per_thousand_inhabitants({"regions": regions, "campaigns": campaigns})
    assert list(said) == ["fictif-exact"]
    assert said["fictif-exact"].startswith("soit 250\u00a0€ pour 1 000 habitants de la région")
    assert "population municipale INSEE 2023" in said["fictif-exact"]


def test_the_page_says_euros_per_inhabitant_beside_the_exact_centre_val_de_loire_total(
    published_package: Path,
) -> None:
    html = (published_package / "index.html").read_text(encoding="utf-8")
    # 563 200 € announced exactly for cvl-2022-aap, 2 587 031 inhabitants: 217.7, said 218.
    assert "soit 218\u00a0€ pour 1 000 habitants de la région (total exact annoncé" in html
