"""The staged rows against the table's pandera schema: each failing cell becomes a problem a contributor can act on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pandera.errors as pa_errors
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.problems import Problem
from pipelines.stage.fields import fix_for
from schemas.to_pandera import TOO_LONG, is_text, length_ceilings

# pandas' own text type: what a staged text column holds, and keeps through pandera.
TEXT = pd.api.types.pandas_dtype("str")

_CHECK_MESSAGES = {
    "not_nullable": "valeur obligatoire absente",
    "field_uniqueness": "doublon",
    "multiple_fields_uniqueness": "doublon (même clé sur plusieurs lignes)",
}


def pandera_problems(
    staged: pd.DataFrame,
    schema,
    header_of: dict[str, str],
    without: Callable[[tuple[str, ...], tuple[str, ...], tuple[str, ...]], Any] | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The validated frame when every row passes; otherwise None and a problem per failing cell.

    `without(columns, typed, too_long)`: the schema less `columns` for a frame whose text columns
    are of pandas' text type, but those `typed`, and holding no text over its length but in those
    `too_long` (`schemas.to_pandera.staging_schema_without`). pandera's cost is per column: a text
    column already of that type needs no coercion nor dtype check, and one that is optional and
    left empty can fail no check, so such columns are not handed to it.
    """
    if staged.empty:
        return None, []
    frame = staged[list(schema.columns)]  # a frame of its own: pandera coerces it in place, no copy
    checked = schema
    if without is not None:
        checked = without(
            _empty_optional_text(frame, schema),
            _off_type_text(frame, schema),
            _over_long_text(frame, schema),
        )
    try:
        return checked.validate(frame, lazy=True, inplace=True), []
    except pa_errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        index = case.index
        if index is None or pd.isna(index):
            # A schema-level failure (a dtype that cannot be coerced for the whole column).
            problems += [
                Problem(
                    int(r),
                    None,
                    header_of.get(case.column, case.column),
                    None,
                    f"colonne {case.column} : {case.check}",
                    "corriger la colonne",
                )
                for r in staged["source_row"]
            ]
        else:
            problems.append(_cell_problem(case, int(staged.loc[index, "source_row"]), header_of))
    return None, problems


def _cell_problem(case: Any, row: int, header_of: dict[str, str]) -> Problem:
    """One failing cell of pandera's failure cases, as a contributor can act on it."""
    column = case.column if isinstance(case.column, str) else None
    check = str(case.check)
    message = _CHECK_MESSAGES.get(check, check)
    if check.startswith(TOO_LONG) and isinstance(case.failure_case, str):
        message = f"{message} ; celui-ci en compte {len(case.failure_case):_}".replace("_", " ")
    return Problem(
        row,
        None,
        header_of.get(column, column) if column else None,
        None if pd.isna(case.failure_case) else str(case.failure_case),
        f"{column} : {message}" if column else message,
        "compléter la valeur dans le fichier ou dans `defaults` du manifeste"
        if check == "not_nullable"
        else fix_for(column or ""),
    )


def _off_type_text(frame: pd.DataFrame, schema) -> tuple[str, ...]:
    return tuple(
        name for name, col in schema.columns.items() if is_text(col) and frame[name].dtype != TEXT
    )


def _over_long_text(frame: pd.DataFrame, schema) -> tuple[str, ...]:
    """Text columns holding a value longer than their field allows, or not yet text: their
    lengths are judged by pandera, which says which rows."""
    return tuple(
        name
        for name, longest in length_ceilings(schema.name).items()
        if name in frame and (frame[name].dtype != TEXT or _longest(frame[name]) > longest)
    )


def _longest(texts: pd.Series) -> int:
    return pc.max(pc.utf8_length(pa.array(texts))).as_py() or 0


def _empty_optional_text(frame: pd.DataFrame, schema) -> tuple[str, ...]:
    keys = set(schema.unique or ())
    return tuple(
        name
        for name, col in schema.columns.items()
        if col.nullable
        and not col.unique
        and name not in keys
        and is_text(col)
        and frame[name].dtype == TEXT
        and frame[name].count() == 0
    )


def typed_empty(schema) -> pd.DataFrame:
    return pd.DataFrame(
        {name: pd.Series(dtype=str(col.dtype)) for name, col in schema.columns.items()}
    )
