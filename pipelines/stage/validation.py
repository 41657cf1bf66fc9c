"""The staged rows against the table's pandera schema: each failing cell becomes a problem a contributor can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pandera.errors as pa_errors

from pipelines.common.problems import Problem
from pipelines.stage.fields import fix_for
from schemas.to_pandera import is_text

# What an empty text column holds once staged (pandas' own text type), and keeps through pandera.
TEXT = pd.api.types.pandas_dtype("str")

_CHECK_MESSAGES = {
    "not_nullable": "valeur obligatoire absente",
    "field_uniqueness": "doublon",
    "multiple_fields_uniqueness": "doublon (même clé sur plusieurs lignes)",
}


def pandera_problems(staged: pd.DataFrame, schema, header_of: dict[str, str],
                     without: Callable[[tuple[str, ...]], Any] | None = None
                     ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The validated frame when every row passes; otherwise None and a problem per failing cell.

    `without(columns)`: the same schema less `columns`, checking a frame that has them. An optional
    text column that a source leaves empty can fail no check and already has its type: pandera's
    cost is per column (a third of reading a small source), so such columns are not handed to it.
    """
    if staged.empty:
        return None, []
    empty = _empty_optional_text(staged, schema) if without is not None else ()
    try:
        # The selection is a frame of its own: pandera coerces it in place rather than copy it again.
        return (without(empty) if empty else schema).validate(staged[list(schema.columns)], lazy=True,
                                                              inplace=True), []
    except pa_errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        index = case.index
        if index is None or pd.isna(index):
            # A schema-level failure (a dtype that cannot be coerced for the whole column).
            problems += [Problem(int(r), None, header_of.get(case.column, case.column), None,
                                 f"colonne {case.column} : {case.check}", "corriger la colonne")
                         for r in staged["source_row"]]
            continue
        row = int(staged.loc[index, "source_row"])
        column = case.column if isinstance(case.column, str) else None
        check = str(case.check)
        message = _CHECK_MESSAGES.get(check, check)
        header = header_of.get(column, column) if column else None
        problems.append(Problem(row, None, header, None if pd.isna(case.failure_case) else str(case.failure_case),
                                f"{column} : {message}" if column else message,
                                "compléter la valeur dans le fichier ou dans `defaults` du manifeste"
                                if check == "not_nullable" else fix_for(column or "")))
    return None, problems


def _empty_optional_text(staged: pd.DataFrame, schema) -> tuple[str, ...]:
    keys = set(schema.unique or ())
    return tuple(name for name, col in schema.columns.items()
                 if col.nullable and not col.unique and name not in keys and is_text(col)
                 and staged[name].dtype == TEXT and staged[name].count() == 0)


def typed_empty(schema) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=str(col.dtype)) for name, col in schema.columns.items()})
