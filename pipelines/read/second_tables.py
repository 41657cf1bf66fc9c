"""A second table under the list (a summary by funder after a blank line, « Financeur | Montant »):
found by its header, so that its rows are set aside as another table and never read as laureates.

Used by pipelines/read/layout.py on the rows below the list's header; the doubt that says so is
pipelines/stage/doubts_table.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from pipelines.common.text import text_key
from pipelines.read.headers import SPELLINGS, funder_of_column, match_header, not_awarded

# Every header spelling known, whatever the table: a summary by funder says « Financeur | Montant ».
_SPELLINGS = {
    name: tuple(s for table in SPELLINGS.values() for s in table.get(name, ()))
    for name in dict.fromkeys(n for table in SPELLINGS.values() for n in table)
}
HEADER_KEYS = {text_key(s) for spellings in _SPELLINGS.values() for s in spellings}
_DIGIT = re.compile(r"\d")


def header_fields(cells: Sequence[str | None]) -> list[str | None]:
    """What each cell of a header-like row names: a field, an amount per funder, or nothing."""
    return [_field(c) if c else None for c in cells]


def _field(cell: str) -> str | None:
    funder = funder_of_column(cell)
    if funder:
        return f"montant {funder}"
    found = match_header(cell, _SPELLINGS)
    if found:
        return found[0]
    return "montant demandé" if not_awarded(cell) else None


def find(
    body: list[pa.Array],
    candidate: np.ndarray,
    data: np.ndarray,
    blank: np.ndarray,
    between: np.ndarray,
    header: np.ndarray,
    labels: list[str],
) -> tuple[list[int], list[tuple[int, int]]]:
    """The rows that are the list's header written otherwise, and the second tables (start, stop).

    `candidate`: data rows whose first cell is a known header spelling; `data`, `blank`, `header`:
    the rows of each kind; `between`: totals and notes, which may stand between a table and a
    blank line. A second table's header names other fields than the list's, with every filled
    cell a header spelling (most of them, after a blank line); it runs to the list's next
    repeated header, or to the end."""
    own = header_fields(labels)
    header = header.copy()
    data_before = np.cumsum(data) - data
    repeated: list[int] = []
    blocks: list[tuple[int, int]] = []
    for k in (int(x) for x in np.flatnonzero(candidate & (data_before > 0))):
        if blocks and k < blocks[-1][1]:
            continue  # inside the second table found above
        row = [c[k].as_py() for c in body]
        fields = header_fields(row)
        texts = [c for c in row if c]
        named = sum(1 for f in fields if f)
        if named < 2 or any(_DIGIT.search(t) for t in texts):
            continue
        if named < len(texts) and not (_after_blank(blank, between, k) and 2 * named > len(texts)):
            continue
        if fields == own[: len(fields)] + [None] * (len(fields) - len(own)):
            repeated.append(k)
            header[k] = True
            continue
        later = np.flatnonzero(header[k + 1 :])
        blocks.append((k, k + 1 + int(later[0]) if len(later) else len(header)))
    return repeated, blocks


def _after_blank(blank: np.ndarray, between: np.ndarray, k: int) -> bool:
    """A blank line between the rows above and row k (totals and notes between them aside)."""
    while k > 0 and (blank[k - 1] or between[k - 1]):
        if blank[k - 1]:
            return True
        k -= 1
    return False
