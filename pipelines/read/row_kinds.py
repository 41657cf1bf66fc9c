"""The kind of each row below a table's header — data, blank, repeated header, total, note — decided
for whole columns at once (Arrow), in the order a person reading down the page would."""

from __future__ import annotations

import re
import string

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.text import text_key, text_keys
from pipelines.read import second_tables
from pipelines.read.hidden import HIDDEN_ROW
from pipelines.read.readers.grid import GridRow

DATA, BLANK, HEADER, TOTAL, NOTE, HIDDEN, OTHER = range(7)
# The reason given to the rows of a second table found below the list (pipelines/stage/doubts_table.py).
SECOND_TABLE = "second tableau sous la liste"
# Why each kind of row is set aside, and its kind as counted in the report.
REASONS = {
    BLANK: ("ligne vide", "blank"),
    HEADER: ("en-tête répété (nouvelle page)", "header"),
    TOTAL: ("ligne de total", "total"),
    NOTE: ("note sous le tableau", "note"),
    HIDDEN: (HIDDEN_ROW, "hidden"),  # set aside by `read.hidden: skip` (pipelines/read/layout.py)
    OTHER: (
        SECOND_TABLE,
        "other_table",
    ),  # each block's header then said (pipelines/read/layout.py)
}


def classify(
    body: list[pa.Array],
    head: list[GridRow],
    labels: list[str],
    skip_patterns: list[str],
    width: int,
) -> np.ndarray:
    """One kind per row below the header, decided in the same order as a person reading down the page."""
    n = len(body[0]) if body else 0
    kinds = np.full(n, DATA, dtype=np.int8)
    if n == 0:
        return kinds
    present = np.vstack([~c.is_null().to_numpy(zero_copy_only=False) for c in body])
    filled = present.sum(axis=0)
    kinds[filled == 0] = BLANK
    first = pc.coalesce(*body) if len(body) > 1 else body[0]
    open_ = kinds == DATA

    # A repeated header (new page): candidates found by a regex over the whole column, then the
    # exact test on those few rows only.
    head_cells = [c for r in head for c in r.cells if c] + [x for x in labels if x]
    candidate = key_in(first, {text_key(c) for c in head_cells} - {""})
    header_keys = [text_key(x) for x in labels]
    for k in np.flatnonzero(candidate & open_):
        row = [c[k].as_py() for c in body]
        if [text_key(c or "") for c in row[:width]] == header_keys or _is_repeated_header(
            row, head
        ):
            kinds[k] = HEADER
    open_ = kinds == DATA

    if skip_patterns:
        kinds[_search(first, skip_patterns) & open_] = TOTAL
        open_ = kinds == DATA

    # A note: one filled cell below a table that had at least three filled columns. A long line
    # counts as a note only below the last row of data: inside the table it may be a laureate
    # whose other cells are empty, and dropping it would lose it.
    seen = np.maximum.accumulate(np.where(open_, filled, 0))
    before = np.concatenate([[0], seen[:-1]])
    maybe_note = open_ & (filled == 1) & (before >= 3) & (width >= 3)
    data_rows = np.flatnonzero(open_ & (filled >= 2))
    last_data = int(data_rows[-1]) if len(data_rows) else -1
    for k in np.flatnonzero(maybe_note):
        text = first[k].as_py()
        if _NOTE_START.match(text) or (k > last_data and _looks_like_note(text)):
            kinds[k] = NOTE
    _second_tables(kinds, body, first, filled, labels)
    return kinds


def _second_tables(
    kinds: np.ndarray, body: list[pa.Array], first: pa.Array, filled: np.ndarray, labels: list[str]
) -> None:
    """A second table under the list: its rows set aside, never read as laureates; the list's
    header written again in other words is the list's, repeated."""
    repeated, blocks = second_tables.find(
        body,
        (kinds == DATA) & (filled >= 2) & key_in(first, second_tables.HEADER_KEYS),
        kinds == DATA,
        kinds == BLANK,
        np.isin(kinds, (TOTAL, NOTE)),
        kinds == HEADER,
        labels,
    )
    kinds[repeated] = HEADER
    for a, b in blocks:
        kinds[a:b] = OTHER


def key_in(array: pa.Array, keys: set[str]) -> np.ndarray:
    """Cells whose `text_key` is one of `keys`: `text_keys` (Arrow where it folds as `text_key` does,
    `text_key` itself elsewhere) over the cells that may match, then a set look-up."""
    if not keys:
        return np.zeros(len(array), dtype=bool)
    # An ASCII letter or digit of a cell stays in its key: a cell holding one that no key holds
    # cannot match. This cheap test leaves few cells to key.
    absent = "".join(
        c for c in string.ascii_lowercase + string.digits if not any(c in k for k in keys)
    )
    maybe = (
        pc.invert(
            pc.fill_null(pc.match_substring_regex(array, f"[{absent}]", ignore_case=True), True)
        )
        if absent
        else pc.is_valid(array)
    )
    found = np.zeros(len(array), dtype=bool)
    where = np.flatnonzero(maybe.to_numpy(zero_copy_only=False))
    if len(where) == 0:
        return found
    cell_keys = text_keys(array.take(pa.array(where)))
    found[where] = pc.fill_null(
        pc.is_in(cell_keys, pa.array(sorted(keys), pa.large_string())), False
    ).to_numpy(zero_copy_only=False)
    return found


def _search(first: pa.Array, patterns: list[str]) -> np.ndarray:
    """Rows whose first filled cell matches one of the manifest's patterns (case ignored)."""
    combined = "|".join(f"(?:{p})" for p in patterns)
    # RE2 only (linear time): a pattern it refuses was refused with the manifest (stage.fields).
    found = pc.match_substring_regex(first, combined, ignore_case=True)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


_NOTE_START = re.compile(
    r"^(\*|\(\d+\)|\d\)|source|note|nb|n\.b|\u00b9|\u00b2|page\s*\d+(\s*(/|sur)\s*\d+)?$)", re.I
)


def _looks_like_note(text: str) -> bool:
    return bool(_NOTE_START.match(text)) or len(text) > 60


def _is_repeated_header(cells: list[str | None], head: list[GridRow]) -> bool:
    return any(tuple(c for c in cells if c) == tuple(c for c in h.cells if c) for h in head)
