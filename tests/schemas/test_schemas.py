"""pandera models and Frictionless Table Schemas are both derived from schemas.tables: they agree."""

from __future__ import annotations

import functools

import pandas as pd
import pandera.errors as pa_errors
import pytest
from frictionless import Resource, Schema
from pandera.engines import pandas_engine

from schemas.tables import TABLES
from schemas.to_frictionless import to_table_schema
from schemas.to_pandera import schema_for

FRICTIONLESS_TO_PANDAS = {
    "string": "str",
    "integer": "Int64",
    "number": "Float64",
    "date": "str",
    "boolean": "boolean",
}


@pytest.mark.parametrize("name", list(TABLES))
def test_same_columns_types_and_nullability(name):
    pandera = schema_for(name)
    descriptor = to_table_schema(TABLES[name])
    Schema.from_descriptor(descriptor)  # a valid Table Schema
    fields = descriptor["fields"]
    assert [f["name"] for f in fields] == list(pandera.columns)
    for f in fields:
        column = pandera.columns[f["name"]]
        assert (
            column.dtype.type == pandas_engine.Engine.dtype(FRICTIONLESS_TO_PANDAS[f["type"]]).type
        ), f["name"]
        required = f.get("constraints", {}).get("required", False)
        assert column.nullable is not required, f["name"]
        assert f["title"] and f["description"], (
            f"{name}.{f['name']} needs a French title and description"
        )


@pytest.mark.parametrize("name", list(TABLES))
def test_enums_and_patterns_agree(name):
    pandera = schema_for(name)
    for f in to_table_schema(TABLES[name])["fields"]:
        checks = {c.name: c for c in pandera.columns[f["name"]].checks}
        constraints = f.get("constraints", {})
        assert ("isin" in checks) == ("enum" in constraints), f["name"]
        # A Table Schema date carries its own format check; pandera checks the ISO text instead.
        if f["type"] != "date":
            assert ("str_matches" in checks) == ("pattern" in constraints), f["name"]
        assert ("greater_than_or_equal_to" in checks) == ("minimum" in constraints), f["name"]


BAD_AWARD = {
    "award_id": "x-1",
    "campaign_id": "Not A Slug",
    "region_code": "24",
    "year": 2022,
    "year_qualifier": "exact",
    "department_code": "37",
    "beneficiary_id": "b-1",
    "beneficiary_name": "Association fictive",
    "beneficiary_siret": None,
    "beneficiary_rna": None,
    "project_title": "Projet fictif",
    "volet": None,
    "theme": None,
    "funder": "PAS_UN_FINANCEUR",
    "amount_eur": -5.0,
    "source_id": "s",
    "source_row": 2,
}


def test_a_bad_row_fails_both_validators_on_the_same_fields(tmp_path):
    frame = pd.DataFrame([BAD_AWARD])
    with pytest.raises(pa_errors.SchemaErrors) as caught:
        schema_for("awards").validate(frame, lazy=True)
    pandera_fields = set(caught.value.failure_cases["column"])

    path = tmp_path / "awards.csv"
    frame.to_csv(path, index=False)
    schema = to_table_schema(TABLES["awards"])
    schema.pop("foreignKeys")  # the lookup tables are not part of this one-file check
    report = Resource(
        path=path.name, basepath=str(tmp_path), schema=Schema.from_descriptor(schema)
    ).validate()
    frictionless_fields = {e[0] for e in report.flatten(["fieldName"])}
    assert {"campaign_id", "funder", "amount_eur"} <= pandera_fields
    assert pandera_fields & {"campaign_id", "funder", "amount_eur"} == frictionless_fields


def test_text_columns_pass_text_and_still_refuse_what_is_not():
    import pandera.pandas as pa
    from pandera.errors import SchemaError

    from schemas.to_pandera import column, is_text

    awards = TABLES["awards"]
    text = column(awards.field("project_title"))
    assert is_text(text) and not is_text(column(awards.field("amount_eur")))
    schema = pa.DataFrameSchema({"nom": pa.Column(text.dtype, nullable=True)})
    assert schema.validate(pd.DataFrame({"nom": pd.Series(["Crèche fictive", None], dtype="str")}))[
        "nom"
    ].isna()[1]
    with pytest.raises(SchemaError):
        schema.validate(pd.DataFrame({"nom": pd.Series([1, 2], dtype="Int64")}))
    with pytest.raises(SchemaError):
        schema.validate(pd.DataFrame({"nom": pd.Series(["texte", 3], dtype=object)}))


def test_free_text_columns_are_optional_unchecked_but_for_length_and_in_no_key():
    from schemas.to_pandera import free_text

    for table in TABLES.values():
        for name in free_text(table):
            field = table.field(name)
            assert field.pandas_dtype == "str" and not field.required and not field.unique, name
            assert (field.enum, field.pattern) == (None, None), name
            assert name not in table.primary_key, name
    assert {"volet", "theme", "project_title"} <= set(free_text(TABLES["awards"]))
    assert not {"beneficiary_name", "beneficiary_siret", "funder"} & set(
        free_text(TABLES["awards"])
    )


def test_a_free_text_over_its_length_is_judged_by_pandera():
    """project_title is left out of pandera while it holds no text over its ceiling
    (schemas/limits.py), and judged as soon as one line's is: that line is rejected."""
    from pipelines.stage.source import CONSOLIDATION_COLUMNS
    from pipelines.stage.validation import pandera_problems
    from schemas.limits import PROJECT_TITLE_MAX
    from schemas.to_pandera import is_text, staging_schema_for, staging_schema_without

    schema = staging_schema_for("awards", CONSOLIDATION_COLUMNS)
    row = dict.fromkeys(schema.columns)
    row.update(
        campaign_id="cmp-fictif", region_code="28", year=2024, department_code="14",
        beneficiary_name="Association fictive", funder="ARS", amount_eur=1000.0,
        source_id="normandie/2024/fictif", source_row=2,
    )  # fmt: skip
    long_row = dict(row, source_row=3, project_title="x" * (PROJECT_TITLE_MAX + 1))
    frame = pd.DataFrame([row, dict(row, source_row=4, project_title="Projet fictif"), long_row])
    for name in [n for n, col in schema.columns.items() if is_text(col)]:
        frame[name] = frame[name].astype("str")
    frame["year"], frame["source_row"] = (
        frame["year"].astype("int64"),
        frame["source_row"].astype("int64"),
    )
    without = functools.partial(staging_schema_without, "awards", CONSOLIDATION_COLUMNS)
    _, problems = pandera_problems(frame, schema, {}, without)
    assert [(p.row, p.column) for p in problems] == [(3, "project_title")]
    assert "1 000 caractères au plus" in problems[0].message
