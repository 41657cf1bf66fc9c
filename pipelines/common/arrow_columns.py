"""Several text columns of a frame judged by one Arrow computation: each call of a regex kernel
compiles its pattern, so a file's columns are concatenated, judged once, and split again."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa


def per_column(
    frame: pd.DataFrame, labels: Sequence[str], judge: Callable[[pa.Array], pa.Array]
) -> dict[str, np.ndarray]:
    """`judge` (text cells → booleans, nulls as the judge leaves them, then False) of each column."""
    arrays = [_text_array(frame[label]) for label in labels]
    if not arrays:
        return {}
    judged = judge(pa.concat_arrays(arrays)).fill_null(False).to_numpy(zero_copy_only=False)
    out, start = {}, 0
    for label, array in zip(labels, arrays):
        out[label] = judged[start : start + len(array)]
        start += len(array)
    return out


def _text_array(column: pd.Series) -> pa.Array:
    """A column as Arrow text; one of pandas' text type is handed over as it is held."""
    values = column.array if column.dtype == "str" else column.astype("str")
    array = pa.array(values, type=pa.large_string(), from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
