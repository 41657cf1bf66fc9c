"""The staged rows against the table's pandera schema: each failing cell becomes a problem a contributor can act on.
"""

from __future__ import annotations

import pandas as pd
import pandera.errors as pa_errors

from pipelines.common.problems import Problem
from pipelines.stage.fields import fix_for

_CHECK_MESSAGES = {
    "not_nullable": "valeur obligatoire absente",
    "field_uniqueness": "doublon",
    "multiple_fields_uniqueness": "doublon (même clé sur plusieurs lignes)",
}


def pandera_problems(staged: pd.DataFrame, schema, header_of: dict[str, str]
                      ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The validated frame when every row passes; otherwise None and a problem per failing cell."""
    if staged.empty:
        return None, []
    try:
        # The selection is a frame of its own: pandera coerces it in place rather than copy it again.
        return schema.validate(staged[list(schema.columns)], lazy=True, inplace=True), []
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


def typed_empty(schema) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=str(col.dtype)) for name, col in schema.columns.items()})
