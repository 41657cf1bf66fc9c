"""Parquet files are resources of their own: checked by the standard validator, typed as their schema says.

The package is built from a copy of the real raw/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.publish.validation import validate_package

ARROW = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
}


def frictionless_validate(folder: Path) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("frictionless")
    return subprocess.run(
        [str(cli), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
    )


def test_every_parquet_file_is_a_resource_with_its_own_bytes_and_hash(
    published_package: Path,
) -> None:
    descriptor = json.loads((published_package / "datapackage.json").read_text(encoding="utf-8"))
    files = {r["path"]: r for r in descriptor["resources"]}
    on_disk = sorted(
        p.relative_to(published_package).as_posix()
        for p in published_package.glob("data/*.parquet")
    )
    assert on_disk and all(path in files for path in on_disk)
    for path in on_disk:
        resource = files[path]
        assert resource["mediatype"] == "application/vnd.apache.parquet"
        assert resource["bytes"] == (published_package / path).stat().st_size
        assert resource["hash"].startswith("sha256:")


def test_a_swapped_parquet_file_fails_the_standard_validator(
    published_package: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "published"
    shutil.copytree(published_package, copy)
    assert frictionless_validate(copy).returncode == 0
    # Another table's Parquet under the awards' name: a reader would get the wrong rows.
    shutil.copy(copy / "data" / "campaigns.parquet", copy / "data" / "awards.parquet")
    result = frictionless_validate(copy)
    assert result.returncode != 0
    errors = [
        e["type"]
        for task in json.loads(result.stdout)["tasks"]
        if task["name"] == "awards_parquet"
        for e in task["errors"]
    ]
    assert "hash-count" in errors


def test_parquet_types_match_the_table_schema(published_package: Path) -> None:
    descriptor = json.loads((published_package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource.get("format") != "parquet":
            continue
        schema = pq.read_schema(published_package / resource["path"])
        assert schema.names == [f["name"] for f in resource["schema"]["fields"]]
        for field in resource["schema"]["fields"]:
            assert schema.field(field["name"]).type == ARROW[field["type"]], (
                resource["name"],
                field["name"],
            )


def test_pandas_reads_dates_as_dates_and_counts_with_gaps_as_integers(
    published_package: Path,
) -> None:
    sources = pd.read_parquet(published_package / "data" / "sources.parquet")
    assert all(
        hasattr(d, "isoformat") and not isinstance(d, str) for d in sources["retrieved"].dropna()
    )
    campaigns = pd.read_parquet(published_package / "data" / "campaigns.parquet").set_index(
        "campaign_id"
    )
    assert campaigns["declared_awards_count"].isna().any()  # gaps: the count stays an integer
    assert str(campaigns["declared_awards_count"].dtype) == "Int64"
    assert str(campaigns.loc["bfc-2021-aap", "declared_awards_count"]) == "10"


def test_publication_checks_each_parquet_file_against_its_schema(
    published_package: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "published"
    shutil.copytree(published_package, copy)
    path = copy / "data" / "regions.parquet"
    table = pq.read_table(path)
    codes = table.column("region_code").to_pylist()
    broken = table.set_column(0, "region_code", pa.array(["ZZ"] + codes[1:], pa.string()))
    pq.write_table(broken, path)
    errors = validate_package(copy)
    assert any(e[0] == "regions_parquet" and e[3] == "constraint-error" for e in errors)


def test_a_parquet_column_of_the_wrong_type_is_refused(
    published_package: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "published"
    shutil.copytree(published_package, copy)
    path = copy / "data" / "campaigns.parquet"
    table = pq.read_table(path)
    at = table.schema.get_field_index("year")
    retyped = table.set_column(
        at, "year", pa.array([str(y) for y in table.column("year").to_pylist()], pa.string())
    )
    pq.write_table(retyped, path)
    errors = validate_package(copy)
    assert any(
        e[0] == "campaigns_parquet" and e[2] == "year" and e[3] == "type-error" for e in errors
    )


def test_an_scdl_parquet_file_that_differs_from_its_csv_twin_is_refused(
    published_package: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "published"
    shutil.copytree(published_package, copy)
    path = copy / "data" / "scdl_subventions_partiel.parquet"
    table = pq.read_table(path)
    at = table.schema.get_field_index("nomBeneficiaire")
    names = table.column("nomBeneficiaire").to_pylist()
    row = len(names) - 1
    names[row] = "Bénéficiaire fictif ajouté au Parquet seul"
    pq.write_table(table.set_column(at, "nomBeneficiaire", pa.array(names, pa.string())), path)
    errors = validate_package(copy)
    assert [e[:4] for e in errors if e[3] == "parquet-rows"] == [
        ["scdl_subventions_partiel_parquet", row + 2, "nomBeneficiaire", "parquet-rows"]
    ]
