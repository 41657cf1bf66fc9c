"""The staged rows against pandera (pipelines/stage/validation.py): text columns already of pandas'
text type are not coerced nor judged for their dtype, optional text columns a source leaves empty or
that carry no check are not handed to pandera, and that changes nothing a contributor or a table sees."""

from __future__ import annotations

import functools

import pandas as pd
import pyarrow as pa
import pytest

from pipelines.stage.source import CONSOLIDATION_COLUMNS
from pipelines.stage.validation import pandera_problems
from schemas.to_pandera import staging_schema_for, staging_schema_without


def _text(values: list) -> pd.Series:
    return pd.Series(values, dtype="str")


def _awards(siret: list, volet: list) -> pd.DataFrame:
    """Three FICTITIOUS award lines, as a reading leaves them before pandera."""
    n = 3
    return pd.DataFrame(
        {
            "campaign_id": _text(["fictif-2024"] * n),
            "region_code": _text(["28"] * n),
            "year": [2024] * n,
            "department_code": _text(["14", "27", None]),
            "beneficiary_name": _text([f"Association fictive {i}" for i in range(n)]),
            "beneficiary_siret": _text(siret),
            "beneficiary_rna": pd.Series(pa.nulls(n, pa.large_string()), dtype="str"),
            "project_title": _text(["Projet fictif"] * n),
            "volet": _text(volet),
            "theme": _text([None] * n),
            "funder": _text(["ARS"] * n),
            "amount_eur": [1000.0, 2500.5, None],
            "source_id": _text(["normandie/2024/fictif"] * n),
            "source_row": [3, 4, 5],
        }
    )


SCHEMA = staging_schema_for("awards", CONSOLIDATION_COLUMNS)
WITHOUT = functools.partial(staging_schema_without, "awards", CONSOLIDATION_COLUMNS)


@pytest.mark.parametrize(
    ("siret", "volet"),
    [
        ([None] * 3, [None] * 3),  # empty: not handed to pandera
        (["12345678901234", None, None], ["Parentalité", None, None]),  # filled: checked as always
        (["1234", None, None], [None] * 3),  # a bad SIRET: still refused, with the same message
    ],
    ids=["vides", "remplies", "siret-faux"],
)
def test_empty_optional_text_columns_change_nothing(siret, volet):
    every_column = pandera_problems(_awards(siret, volet), SCHEMA, {"beneficiary_siret": "SIRET"})
    skipping = pandera_problems(
        _awards(siret, volet), SCHEMA, {"beneficiary_siret": "SIRET"}, WITHOUT
    )
    assert skipping[1] == every_column[1]
    if every_column[0] is None:
        assert skipping[0] is None and [p.column for p in skipping[1]] == ["SIRET"]
    else:
        pd.testing.assert_frame_equal(skipping[0], every_column[0])
        assert list(skipping[0].columns) == list(SCHEMA.columns)
        assert (
            str(skipping[0]["year"].dtype) == "Int64"
            and str(skipping[0]["amount_eur"].dtype) == "Float64"
        )


def test_a_required_text_column_left_empty_is_still_refused():
    frame = _awards([None] * 3, [None] * 3)
    frame["beneficiary_name"] = _text([None] * 3)
    validated, problems = pandera_problems(
        frame, SCHEMA, {"beneficiary_name": "Structure"}, WITHOUT
    )
    assert validated is None
    assert {(p.row, p.column) for p in problems} == {
        (3, "Structure"),
        (4, "Structure"),
        (5, "Structure"),
    }


def test_a_text_column_of_another_type_is_coerced_as_before():
    frame = _awards(["12345678901234", None, None], [None] * 3)
    frame["project_title"] = pd.Series(["Projet fictif", 3, None], dtype=object)
    every_column = pandera_problems(frame.copy(), SCHEMA, {})
    skipping = pandera_problems(frame.copy(), SCHEMA, {}, WITHOUT)
    assert skipping[1] == every_column[1] == []
    pd.testing.assert_frame_equal(skipping[0], every_column[0])
    assert (
        str(skipping[0]["project_title"].dtype) == "str" and skipping[0]["project_title"][1] == "3"
    )


def test_the_schema_for_typed_text_leaves_out_what_cannot_fail():
    checked = WITHOUT(("beneficiary_rna",), ("project_title",))
    assert not {"beneficiary_rna", "volet", "theme"} & set(checked.columns)
    assert (
        checked.columns["beneficiary_siret"].dtype is None
        and not checked.columns["beneficiary_siret"].coerce
    )
    assert str(checked.columns["project_title"].dtype) == str(SCHEMA.columns["project_title"].dtype)
    assert checked.columns["project_title"].coerce and checked.columns["year"].coerce
    assert checked.unique == SCHEMA.unique
