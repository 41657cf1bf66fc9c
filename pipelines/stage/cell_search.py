"""What the quality warnings share: cells searched by pattern with Arrow, and a warning at a row."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.problems import Problem


def as_text(values: pd.Series | pa.Array) -> pa.Array:
    return (
        values
        if isinstance(values, pa.Array)
        else pa.array(values, type=pa.large_string(), from_pandas=True)
    )


def contains(values: pd.Series | pa.Array, pattern: str) -> np.ndarray:
    """Cells where `pattern` (RE2 syntax) is found, empty cells never. Arrow itself: pandas' `str`
    methods run Python's `re` cell by cell for some patterns."""
    found = pc.match_substring_regex(as_text(values), pattern)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def warning(
    row: Any, place: Any, column: str | None, value: Any, message: str, fix: str, code: str
) -> Problem:
    """A warning at a row of the file (or of the manifest, `row` None)."""
    return Problem(
        None if row is None else int(row),
        place if isinstance(place, str) else None,
        column,
        None if value is None else str(value),
        message,
        fix,
        severity="warning",
        code=code,
    )
