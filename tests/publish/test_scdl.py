"""The SCDL « Subventions » 2.1.1 export: right columns, honest cells, checked by the real validator.

Rows built here (the fictitious « Association Test… ») are made up for the tests.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from frictionless import Resource, Schema, system

from pipelines.consolidate.frames import typed
from pipelines.consolidate.tables import reference_tables
from pipelines.publish import scdl
from pipelines.publish.validation import validate_package
from pipelines.publish.versioning import next_version
from tests.conftest import REPO, build_package

# The 16 columns of 2.1.1, in order, as the specification lists them.
SPEC_COLUMNS = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]
SPEC_REQUIRED = {
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "nomBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "notificationUE",
    "pourcentageSubvention",
}


def strict_errors(csv_path: Path) -> list[tuple[str, str, str]]:
    """(type, field, note) of every error frictionless finds against the 2.1.1 schema as specified."""
    with system.use_context(trusted=True):
        report = Resource(
            path=str(csv_path), schema=Schema.from_descriptor(scdl.spec_schema())
        ).validate()
    task = report.tasks[0]
    return [(e.type, getattr(e, "field_name", ""), getattr(e, "note", "")) for e in task.errors]


def undocumented(errors: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Errors other than a required field left empty on purpose (scdl.LEFT_EMPTY)."""
    return [
        e
        for e in errors
        if not (
            e[0] == "constraint-error"
            and e[1] in scdl.LEFT_EMPTY
            and e[2].startswith('constraint "required"')
        )
    ]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_schema_file_is_the_2_1_1_specification() -> None:
    spec = json.loads(scdl.SPEC_PATH.read_text(encoding="utf-8"))
    assert "spécification publiée" in spec["description"] and spec["version"] == "2.1.1"
    assert list(Schema.metadata_validate(spec)) == []
    fields = {f["name"]: f for f in spec["fields"]}
    assert [f["name"] for f in spec["fields"]] == SPEC_COLUMNS
    assert {
        n for n, f in fields.items() if f.get("constraints", {}).get("required")
    } == SPEC_REQUIRED
    assert fields["idAttribuant"]["constraints"]["pattern"] == r"^\d{14}$"
    assert fields["rnaBeneficiaire"]["constraints"]["pattern"] == r"^W\d{9}$"
    assert fields["objet"]["constraints"]["maxLength"] == 256
    assert fields["nature"]["constraints"]["enum"][0] == "aide en numéraire"
    assert fields["notificationUE"]["trueValues"] == ["oui"] and fields["notificationUE"][
        "falseValues"
    ] == ["non"]
    assert fields["pourcentageSubvention"]["constraints"] == {
        "required": True,
        "minimum": 0.01,
        "maximum": 1,
    }


def test_every_award_is_in_one_of_the_two_exports_in_the_16_columns(
    published_package: Path,
) -> None:
    for path in (scdl.PATH, scdl.PARTIAL_PATH):
        assert (published_package / path).read_text(encoding="utf-8").splitlines()[0].split(
            ","
        ) == SPEC_COLUMNS
    conform, partial = (
        read_rows(published_package / scdl.PATH),
        read_rows(published_package / scdl.PARTIAL_PATH),
    )
    awards = read_rows(published_package / "data" / "awards.csv")
    # No source gives the funder's SIRET nor the dates 2.1.1 requires: no real row conforms yet.
    assert conform == [] and len(partial) == len(awards) > 0
    rows = partial
    assert [r["nomBeneficiaire"] for r in rows] == [a["beneficiary_name"] for a in awards]
    twin = pd.read_parquet(
        published_package / "data" / f"{scdl.PARTIAL_NAME}.parquet"
    )  # the same rows, typed
    assert list(twin.columns) == SPEC_COLUMNS and twin["nomBeneficiaire"].tolist() == [
        r["nomBeneficiaire"] for r in rows
    ]
    # No share without a source: a joint project of two communautés de communes is not « 1 ».
    assert twin["pourcentageSubvention"].isna().all() and twin["montant"].isna().all()
    # Nothing the sources do not give: no SIRET of a funder, no date, no amount that was not published.
    assert {r["idAttribuant"] for r in rows} == {""} and {r["dateConvention"] for r in rows} == {""}
    assert [r["montant"] for r in rows] == [a["amount_eur"] for a in awards]
    by_name = {r["nomBeneficiaire"]: r for r in rows}
    assert (
        by_name["UDAF de Chalon-sur-Saône"]["objet"] == ""
    )  # the press article gives no project title
    assert (
        by_name["Association Libreplume (Bayonne)"]["nomAttribuant"] == "État (service non précisé)"
    )
    assert (
        by_name["Association Coccinelle (Besançon)"]["nomAttribuant"] == ""
    )  # funder NC: not said


def test_partial_export_breaks_2_1_1_only_where_documented(published_package: Path) -> None:
    assert strict_errors(published_package / scdl.PATH) == []
    errors = strict_errors(published_package / scdl.PARTIAL_PATH)
    assert undocumented(errors) == []
    # The gaps are real and the README says so: an empty SIRET of the funder on every line.
    assert ("constraint-error", "idAttribuant", 'constraint "required" is "True"') in errors
    readme = (published_package / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Champs obligatoires manquants dans l'export partiel", 1)[1].split(
        "###", 1
    )[0]
    assert all(f"| `{name}` |" in section for name in scdl.LEFT_EMPTY)


def test_validator_catches_a_wrong_cell(published_package: Path, tmp_path: Path) -> None:
    rows = read_rows(published_package / scdl.PARTIAL_PATH)
    rows[0].update(
        montant="12 500,00", nature="subvention", idBeneficiaire="1234", pourcentageSubvention="80"
    )
    broken = tmp_path / "scdl.csv"
    with broken.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=SPEC_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    fields = {e[1] for e in undocumented(strict_errors(broken))}
    assert fields == {"montant", "nature", "idBeneficiaire", "pourcentageSubvention"}


def test_package_publishes_the_scdl_file_with_2_1_1_and_the_partial_export_with_required_lifted(
    published_package: Path,
) -> None:
    descriptor = json.loads((published_package / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    conform, partial = resources[scdl.NAME], resources[scdl.PARTIAL_NAME]
    assert conform["scdl"]["conformance"] == "full" and partial["scdl"]["conformance"] == "partial"
    assert (
        conform["schema"]["fields"] == scdl.spec_schema()["fields"]
    )  # the schema itself, unchanged
    assert "non conforme" in partial["title"]
    published = {f["name"]: f for f in partial["schema"]["fields"]}
    for field in scdl.spec_schema()["fields"]:
        constraints = dict(field.get("constraints", {}))
        if field["name"] in scdl.LEFT_EMPTY:
            constraints.pop("required")
        assert published[field["name"]].get("constraints", {}) == constraints, field["name"]
        assert published[field["name"]]["type"] == field["type"]
    assert validate_package(published_package) == []


def _fictitious_tables(**award) -> dict[str, pd.DataFrame]:
    row = {
        "award_id": "pdl-2030-test-1",
        "campaign_id": "pdl-2030-test",
        "region_code": "52",
        "year": 2030,
        "department_code": "44",
        "beneficiary_id": "b-test",
        "beneficiary_name": "Association Test",
        "beneficiary_siret": None,
        "beneficiary_rna": None,
        "project_title": "Projet fictif",
        "volet": None,
        "theme": None,
        "funder": "ARS",
        "amount_eur": None,
        "source_id": "pays-de-la-loire/2030/test",
        "source_row": 2,
    }
    return {**reference_tables(), "awards": typed("awards", [{**row, **award}])}


def test_export_fills_what_an_award_gives() -> None:
    frame = scdl.export_frame(
        _fictitious_tables(
            funder="DREETS",
            amount_eur=12500.5,
            beneficiary_siret="12345678200010",
            beneficiary_rna="W442000123",
            project_title="=cmd " + "x" * 300,
        )
    )
    assert frame.iloc[0]["montant"] == 12500.5 and pd.isna(frame.iloc[0]["notificationUE"])
    row = scdl.csv_frame(frame).iloc[0]
    assert row["nomAttribuant"] == (
        "Direction régionale de l'économie, de l'emploi, du travail et des "
        "solidarités Pays de la Loire"
    )
    assert (row["montant"], row["idBeneficiaire"], row["rnaBeneficiaire"]) == (
        "12500.50",
        "12345678200010",
        "W442000123",
    )
    # A long title is cut to 256 characters, visibly; a formula-like cell is defused.
    assert (
        len(row["objet"]) == 257 and row["objet"].startswith("'=cmd") and row["objet"].endswith("…")
    )
    assert (row["nature"], row["pourcentageSubvention"], row["notificationUE"]) == (
        "aide en numéraire",
        "",
        "",
    )


def test_the_export_arriving_is_a_minor_release() -> None:
    def res(name: str, schema: dict) -> dict:
        return {"name": name, "hash": "sha256:x", "schema": schema}

    previous = {"version": "1.3.0", "resources": [res("awards", {"fields": []})]}
    added = [res("awards", {"fields": []}), res(scdl.NAME, {"fields": [{"name": "objet"}]})]
    assert next_version(previous, added) == ("1.4.0", True)
    changed = [res("awards", {"fields": [{"name": "x"}]})]
    assert next_version(previous, changed) == ("2.0.0", True)
    assert next_version(previous, [])[0] == "2.0.0"  # a resource removed breaks readers


@pytest.mark.parametrize(
    ("funder", "expected"),
    [
        ("ARS", "Agence régionale de santé Pays de la Loire"),
        ("CAF", "Caisse d'allocations familiales"),
        ("NC", ""),
    ],
)
def test_attribuant_is_named_only_when_the_source_names_the_funder(
    funder: str, expected: str
) -> None:
    frame = scdl.csv_frame(scdl.export_frame(_fictitious_tables(funder=funder)))
    assert frame.iloc[0]["nomAttribuant"] == expected


def test_a_release_without_the_export_upgrades_to_a_minor_version_and_says_why(
    tmp_path: Path,
) -> None:
    shutil.copytree(REPO / "raw", tmp_path / "raw")
    published = build_package(tmp_path)
    # Make it look like a release from before the export (1.0.0 had no scdl_subventions resource).
    descriptor = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != scdl.NAME]
    (published / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (published / scdl.PATH).unlink()
    build_package(tmp_path)
    upgraded = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    assert upgraded["version"] == "1.1.0"
    log = (published / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (
        f"## 1.1.0 — {upgraded['created'][:10]}\n\n- schéma : nouvelle table `{scdl.NAME}`" in log
    )
