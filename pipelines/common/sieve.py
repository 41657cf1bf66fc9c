"""The sieve over many cells at once: the cells that may hold personal data, for the exact
patterns of pipelines/common/personal.py to look at closely. `SIEVE` runs in Arrow's RE2 over a
large column (linear in its length whatever the cells), in Python's `re` over a small one (the same
pattern: tests/common/test_patterns_agree.py), since Arrow compiles a pattern at each call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.patterns import chars
from pipelines.common.personal import SIEVE, normalized

# Characters NFKC leaves as they are, and that French text is mostly made of: ASCII, accented letters,
# « », °, œ, quotes, dashes, €. A cell holding anything else is put in NFKC form before the sieve.
_NFKC_STABLE = chars(
    (0x00, 0x7F),
    0xAB,
    0xB0,
    0xBB,
    (0xC0, 0xFF),
    0x152,
    0x153,
    0x2013,
    0x2014,
    (0x2018, 0x201E),
    0x20AC,
)


# Up to these sizes, the sieve runs in Python's `re` (the same pattern, tests/common/): Arrow compiles
# it at each call, longer than `re` takes to read a small file's cells. The bound on a cell keeps
# `re`'s backtracking short.
_SMALL_CELLS, _SMALL_CELL_LENGTH = 2000, 200
_SIEVE_RE = re.compile(SIEVE)


def candidates(values) -> pa.Array:
    """Cells that may hold personal data (vectorized; nulls are False)."""
    array = (
        values
        if isinstance(values, pa.Array)
        else pa.array(values, type=pa.large_string(), from_pandas=True)
    )
    if len(array) <= _SMALL_CELLS:
        texts = array.to_pylist()
        if all(t is None or len(t) <= _SMALL_CELL_LENGTH for t in texts):
            return sieve_with_re(texts)
    return sieve_with_arrow(array)


def sieve_with_re(texts: list[str | None]) -> pa.Array:
    """The sieve run by Python's `re`, one cell at a time."""
    return pa.array(
        [t is not None and _SIEVE_RE.search(normalized(t)) is not None for t in texts], pa.bool_()
    )


def sieve_with_arrow(array: pa.Array) -> pa.Array:
    """The sieve run by Arrow's RE2 over the whole column, in linear time whatever the cells."""
    unstable = pc.fill_null(pc.match_substring_regex(array, f"[^{_NFKC_STABLE}]"), False)
    if pc.any(unstable).as_py():
        normal = pc.utf8_normalize(array.filter(unstable), "NFKC")
        array = pc.replace_with_mask(array, unstable, normal)
    return pc.fill_null(pc.match_substring_regex(array, SIEVE), False)


def candidates_by_column(frame: pd.DataFrame, labels: Sequence[str]) -> dict[str, np.ndarray]:
    """`candidates` of several columns of a frame, each as a boolean numpy array: the columns
    are concatenated, sieved as one array and split again (one pass of the sieve per file)."""
    arrays = [_text_array(frame[label]) for label in labels]
    if not arrays:
        return {}
    sieved = candidates(pa.concat_arrays(arrays)).to_numpy(zero_copy_only=False)
    out, start = {}, 0
    for label, array in zip(labels, arrays):
        out[label] = sieved[start : start + len(array)]
        start += len(array)
    return out


def _text_array(column: pd.Series) -> pa.Array:
    """A column as Arrow text; one of pandas' text type is handed over as it is held."""
    values = column.array if column.dtype == "str" else column.astype("str")
    array = pa.array(values, type=pa.large_string(), from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
