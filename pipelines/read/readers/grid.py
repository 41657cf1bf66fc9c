"""The shape every reader returns: rows of text cells, with their number and place in the file.

Small files come as a plain list of `GridRow`. Large tabular files (CSV, spreadsheets) come as a
`Grid`: the same rows, held column by column as Arrow text arrays, so that the layout and the
normalization can work on whole columns instead of looping over 200 000 Python rows. A `Grid`
is still a sequence of `GridRow` for anyone who iterates it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.read.readers.hidden import Hidden


@dataclass(frozen=True)
class GridRow:
    number: int  # 1-based row (line) number within its place
    place: str | None  # sheet name, "page 2", "tableau 1"; None for a flat file
    cells: tuple[str | None, ...]  # text as written, whitespace folded, None when empty

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)

    def where(self) -> str:
        return f"{self.place}, ligne {self.number}" if self.place else f"ligne {self.number}"


class ReadRows(list):
    """Rows a reader read some other way than as written: `method` says how (« ocr »)."""

    def __init__(self, rows: Iterable[GridRow], method: str) -> None:
        super().__init__(rows)
        self.method = method


class SheetRows(list):
    """The rows of several sheets one after the other, with what each sheet hides (by its name)."""

    def __init__(self, rows: Iterable[GridRow], hidden: dict[str | None, Hidden]) -> None:
        super().__init__(rows)
        self.hidden = hidden


def hidden_in(rows: Sequence[GridRow]) -> dict[str | None, Hidden]:
    """What each place of a reading hides (spreadsheets only): empty when nothing is hidden."""
    return getattr(rows, "hidden", {})


def read_method(rows: Sequence[GridRow]) -> str:
    """How the rows were read: « text » (as the file writes them) or « ocr »."""
    return getattr(rows, "method", "text")


# A merged range: first and last row numbers, first and last columns (0-based).
Merge = tuple[int, int, int, int]


def merged_ranges(rows: Sequence[GridRow]) -> list[Merge]:
    """The merged ranges a spreadsheet reader saw (a one-sheet Grid), else none."""
    return list(getattr(rows, "merged", []))


class Grid(Sequence[GridRow]):
    """Rows of one place held by column: `columns[j][i]` is the cell of row `numbers[i]`, column j."""

    def __init__(
        self,
        columns: list[pa.Array],
        numbers: np.ndarray,
        place: str | None = None,
        merged: Sequence[Merge] = (),
    ) -> None:
        self.columns = columns
        self.numbers = numbers
        self.place = place
        # A spreadsheet's merged ranges over more than one cell, their value copied over each.
        self.merged = list(merged)
        # Set by the spreadsheet readers: the rows, columns or sheet the file hides (by place).
        self.hidden: dict[str | None, Hidden] = {}

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self) -> Iterator[GridRow]:
        columns = [c.to_pylist() for c in self.columns]
        for number, cells in zip(
            self.numbers.tolist(), zip(*columns) if columns else ((),) * len(self)
        ):
            yield GridRow(number, self.place, cells)

    @overload
    def __getitem__(self, index: int) -> GridRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[GridRow]: ...

    def __getitem__(self, index: int | slice) -> GridRow | list[GridRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = index + len(self) if index < 0 else index
        return GridRow(int(self.numbers[i]), self.place, tuple(c[i].as_py() for c in self.columns))


# Every character Python's \s (and so clean_cell) takes for a space, spelled out for RE2 (Arrow).
_SPACE = r"[ \t\n\v\f\r\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"


def text_column(values: pa.Array | Iterable[str | None]) -> pa.Array:
    """Cells as `clean_cell` makes them (spaces folded, "" and "nan" → null), a whole column at once.

    Only the cells that need it are touched, by Arrow: every run of spaces of any kind becomes
    one space, the ends are trimmed, and what is left empty, or "nan", becomes null.
    """
    array = (
        values
        if isinstance(values, (pa.Array, pa.ChunkedArray))
        else pa.array(values, type=pa.large_string())
    )
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    dirty = pc.fill_null(pc.match_substring_regex(array, _DIRTY), False)
    if not pc.any(dirty).as_py():
        return array
    cells = pc.filter(array, dirty)
    cells = pc.utf8_trim(pc.replace_substring_regex(cells, _SPACE + "+", " "), " ")
    original = pc.filter(array, dirty)
    empty = pc.or_(pc.equal(cells, ""), pc.match_substring_regex(original, r"^[nN][aA][nN]$"))
    cells = pc.if_else(empty, pa.scalar(None, pa.large_string()), cells)
    return pc.replace_with_mask(array, dirty, cells)


# A cell needs cleaning when it starts or ends with a space, holds two spaces in a row or any
# space other than " ", is empty, or is "nan" (a spreadsheet's empty number).
_DIRTY = rf"^$|^ | $|  |{_SPACE.replace(' ', '', 1)}|^[nN][aA][nN]$"


def rows_to_grid(
    rows: Sequence[Sequence[str | None]], first_number: int = 1, place: str | None = None
) -> Grid:
    """Already cleaned rows (tuples of text) as a Grid."""
    width = max((len(r) for r in rows), default=0)
    padded = (
        rows
        if all(len(r) == width for r in rows)
        else [tuple(r) + (None,) * (width - len(r)) for r in rows]
    )
    columns = [pa.array(col, type=pa.large_string()) for col in zip(*padded)] if padded else []
    return Grid(columns, np.arange(first_number, first_number + len(rows)), place)
