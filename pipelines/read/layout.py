"""From the rows a reader returns to a table: header found, titles, blanks, notes and totals set aside.

Shared by every format, so a title row above the header, a header over two rows, a header repeated
on each PDF page, a footnote or a "TOTAL" line are handled the same way whatever the file type.
Every row set aside is counted and kept with its reason: nothing is dropped silently. A second
table under the list (a summary by funder under its own header) is set aside too, and said as a
doubt (pipelines/stage/doubts_table.py).

The rows below the header are classified column by column (Arrow), not row by row
(pipelines/read/row_kinds.py): only the few rows that may be a repeated header or a note are
looked at one by one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from pipelines.common.personal import excerpt
from pipelines.common.problems import SourceError
from pipelines.common.text import text_key
from pipelines.read.hidden import HiddenFound, found_in_table
from pipelines.read.readers.grid import Grid, GridRow, hidden_in
from pipelines.read.readers.hidden import Hidden
from pipelines.read.row_kinds import BLANK, DATA, HIDDEN, OTHER, REASONS, SECOND_TABLE, classify

ROW = "_row"
PLACE = "_place"
HEADER_SEARCH_ROWS = 40
_TABLE_PLACE = re.compile(r"^tableau \d+$")


@dataclass(frozen=True)
class SkippedRow:
    row: int
    place: str | None
    reason: str
    text: str
    kind: str  # title | header | blank | note | total | filtered | other_table | group | hidden


@dataclass(frozen=True)
class TotalLine:
    """A total line set aside, with its cells, so its amounts can be checked against the rows it closes."""

    row: int
    place: str | None
    cells: dict[str, str | None]  # frame column -> text
    position: int  # how many data rows come before it in the frame
    label: str  # its first filled cell ("TOTAL", "Sous-total Finistère")


@dataclass
class RawTable:
    """The data rows of a file under their header labels, with their place in the file."""

    frame: pd.DataFrame  # one str column per header label, plus ROW and PLACE
    labels: list[str]
    header_row: int
    header_place: str | None
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0
    totals: list[TotalLine] = field(default_factory=list)
    method: str = "text"  # « ocr » when the reader read the text off the images of a scan
    # A one-sheet workbook's merged ranges (first row, last row, first column, last column).
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    # False for a list of records (JSON): each stands alone, no value is written once for a group.
    laid_out: bool = True
    # What the spreadsheet hides of the table (rows below the header, its columns, its sheet).
    hidden: list[HiddenFound] = field(default_factory=list)


class _Cells:
    """Any reader's rows as Arrow columns, with their numbers and places."""

    def __init__(self, rows: Sequence[GridRow]) -> None:
        if isinstance(rows, Grid):
            self.columns = list(rows.columns)
            self.numbers = np.asarray(rows.numbers)
            self.places = np.full(len(rows), rows.place, dtype=object)
        else:
            width = max((len(r.cells) for r in rows), default=0)
            padded = [r.cells + (None,) * (width - len(r.cells)) for r in rows]
            self.columns = [pa.array(c, type=pa.large_string()) for c in zip(*padded)]
            self.numbers = np.array([r.number for r in rows], dtype=np.int64)
            self.places = np.array([r.place for r in rows], dtype=object)
        self.width = len(self.columns)

    def __len__(self) -> int:
        return len(self.numbers)

    def row(self, i: int) -> GridRow:
        return GridRow(
            int(self.numbers[i]), self.places[i], tuple(c[i].as_py() for c in self.columns)
        )

    def rows(self, start: int, stop: int) -> list[GridRow]:
        block = [c.slice(start, stop - start).to_pylist() for c in self.columns]
        return [
            GridRow(int(self.numbers[i]), self.places[i], cells)
            for i, cells in zip(range(start, stop), zip(*block))
        ]


def _fill_merged(cells: tuple[str | None, ...]) -> list[str | None]:
    """A cell merged across columns is read once, in its first column: carry it to the right."""
    filled, last = [], None
    for c in cells:
        last = c if c is not None else last
        filled.append(last)
    return filled


def header_labels(header_rows: list[GridRow], width: int) -> list[str]:
    if len(header_rows) == 1:
        cells = list(header_rows[0].cells) + [None] * width
        return [c or "" for c in cells[:width]]
    upper = [_fill_merged(tuple(list(r.cells) + [None] * width)[:width]) for r in header_rows[:-1]]
    lower = list(header_rows[-1].cells) + [None] * width
    labels = []
    for i in range(width):
        parts = [p for p in (*(u[i] for u in upper), lower[i]) if p]
        deduped = [p for j, p in enumerate(parts) if p not in parts[:j]]
        labels.append(" ".join(deduped))
    return labels


def _matches(labels: list[str], wanted: list[str]) -> int:
    keys = {text_key(label) for label in labels if label}
    return sum(1 for w in wanted if text_key(w) in keys)


def _detect(head: list[GridRow], wanted: list[str], header_rows: int) -> tuple[int | None, int]:
    """Index of the best header candidate among the first rows, and how many wanted headers it holds."""
    best, best_score = None, 0
    for i in range(len(head)):
        if i + 1 < header_rows:
            continue
        block = head[i + 1 - header_rows : i + 1]
        score = _matches(header_labels(block, max(len(x.cells) for x in block)), wanted)
        if score > best_score:
            best, best_score = i, score
    return best, best_score


def find_header(
    rows: list[GridRow],
    wanted: list[str],
    header_row: int | None,
    header_rows: int,
    path: Path,
    numbers: np.ndarray | None = None,
) -> int:
    """Index in `rows` of the last header row (`numbers`: the row numbers of the whole file)."""
    if header_row is not None:
        numbers = numbers if numbers is not None else np.array([r.number for r in rows])
        found = np.flatnonzero(numbers == header_row + header_rows - 1)
        if len(found):
            return int(found[0])
        raise SourceError(
            path,
            f"la ligne d'en-tête {header_row} n'existe pas",
            place="manifeste, read.header_row",
            fix="corriger read.header_row (numéro de ligne à partir de 1) ou le retirer",
        )
    best, _ = _detect(rows[:HEADER_SEARCH_ROWS], wanted, header_rows)
    if best is None:
        width = max((len(r.cells) for r in rows[:HEADER_SEARCH_ROWS]), default=0)
        hint = (
            " ; chaque ligne n'a qu'une colonne : le séparateur est sans doute mal reconnu (read.delimiter)"
            if width == 1
            else ""
        )
        raise SourceError(
            path,
            "aucune ligne d'en-tête ne contient les colonnes du manifeste "
            f"({', '.join(repr(w) for w in wanted)}){hint}",
            place=f"{HEADER_SEARCH_ROWS} premières lignes",
            fix="recopier dans `columns` les en-têtes tels qu'écrits dans le fichier, ou donner read.header_row",
        )
    return best


def pick_table(
    rows: Sequence[GridRow], wanted: list[str], header_rows: int
) -> tuple[Sequence[GridRow], list[SkippedRow]]:
    """A page holding several tables ("tableau N"): keep those whose header names the wanted columns.

    A list split into several tables with the same header (one per département, say) is read
    whole; the page's other tables are counted as skipped, never dropped silently.
    """
    if isinstance(rows, Grid):
        return rows, []
    places = list(dict.fromkeys(r.place for r in rows))
    if len(places) < 2 or not all(isinstance(p, str) and _TABLE_PLACE.match(p) for p in places):
        return rows, []
    groups = {p: [r for r in rows if r.place == p] for p in places}
    scores = {p: _detect(g[:HEADER_SEARCH_ROWS], wanted, header_rows)[1] for p, g in groups.items()}
    best = max(scores.values())
    kept = [r for r in rows if scores[r.place] == best]
    if len({r.place for r in kept}) > 1:
        # Several tables read as one list: rows numbered across them, so that a number names one row.
        kept = [GridRow(n, r.place, r.cells) for n, r in enumerate(kept, 1)]
    skipped = [
        SkippedRow(
            r.number,
            r.place,
            "autre tableau de la page, sans les colonnes du manifeste "
            "(read.table pour en choisir un)",
            _text(r),
            "other_table",
        )
        for r in rows
        if scores[r.place] != best
    ]
    return kept, skipped


def header_depth(top: list[GridRow], wanted: list[str], header_row: int | None) -> int:
    """One header row, or two when the second adds what the manifest names: « Montant accordé (€) »
    merged over « ARS », « DREETS », with the other headers merged down over both rows."""
    if not wanted:
        return 1
    if header_row is None:
        return 2 if _detect(top, wanted, 2)[1] > _detect(top, wanted, 1)[1] else 1
    at = [i for i, r in enumerate(top) if r.number == header_row]
    if not at or at[0] + 1 >= len(top):
        return 1
    block = top[at[0] : at[0] + 2]
    width = max(len(r.cells) for r in block)
    return (
        2
        if _matches(header_labels(block, width), wanted)
        > _matches(header_labels(block[:1], width), wanted)
        else 1
    )


def build_table(
    rows: Sequence[GridRow],
    *,
    wanted: list[str],
    header_row: int | None,
    header_rows: int | None,
    skip_patterns: list[str],
    path: Path,
    hidden_mode: str | None = None,
    hidden: dict[str | None, Hidden] | None = None,
) -> RawTable:
    """`hidden_mode` is `read.hidden`: « skip » sets hidden rows aside; `hidden` what each sheet
    hides, when `rows` no longer carries it (a sheet's rows taken out of a workbook's)."""
    hidden = hidden if hidden is not None else hidden_in(rows)
    if header_rows is None:
        header_rows = header_depth(list(rows[:HEADER_SEARCH_ROWS]), wanted, header_row)
    rows, other_tables = pick_table(rows, wanted, header_rows)
    cells = _Cells(rows)
    if not len(cells) or all(c.null_count == len(c) for c in cells.columns):
        raise SourceError(
            path, "aucune ligne lue", fix="vérifier que le fichier contient le tableau publié"
        )
    h = _header_index(cells, wanted, header_row, header_rows, path)
    head = cells.rows(h + 1 - header_rows, h + 1)
    labels = header_labels(head, cells.width)
    unique_labels = _unique(labels)
    skipped: list[SkippedRow] = [*other_tables, *_above_the_table(cells, h + 1 - header_rows, head)]
    start = h + 1
    body = [c.slice(start) for c in cells.columns]
    kinds = classify(body, head, labels, skip_patterns, cells.width)
    parts = hidden.get(head[0].place)
    found = None
    if parts:
        masked = _hidden(kinds, cells.numbers[start:], parts, hidden_mode)
        found = found_in_table(head[0].place, parts, masked, unique_labels, labels, body)
    data_index = np.flatnonzero(kinds == DATA)
    set_aside, totals = _set_aside(cells, start, kinds, data_index, unique_labels)
    skipped += set_aside
    take = pa.array(data_index)
    frame = pd.DataFrame(
        {label: pd.Series(col.take(take), dtype="str") for label, col in zip(unique_labels, body)}
    )
    frame[ROW] = pd.Series(cells.numbers[start:][data_index], dtype="int64")
    frame[PLACE] = pd.Series(cells.places[start:][data_index], dtype="str")
    return RawTable(
        frame,
        labels,
        head[0].number,
        head[0].place,
        skipped,
        rows_read=len(cells) + len(other_tables),
        totals=totals,
        hidden=[found] if found else [],
    )


def _hidden(kinds: np.ndarray, numbers: np.ndarray, parts: Hidden, mode: str | None) -> np.ndarray:
    """The numbers of the hidden rows below the header that hold something; with `read.hidden:
    skip`, their kind becomes « hidden » (set aside and counted)."""
    masked = parts.rows.contains(numbers) & (kinds != BLANK)
    if mode == "skip":
        kinds[masked] = HIDDEN
    return numbers[masked]


def _set_aside(
    cells: _Cells, start: int, kinds: np.ndarray, data_index: np.ndarray, labels: list[str]
) -> tuple[list[SkippedRow], list[TotalLine]]:
    """Each row below the header that is not data, with why; the total lines, with what they sum."""
    skipped, totals = [], []
    second_header = ""
    for k in np.flatnonzero(kinds != DATA):
        r = cells.row(start + int(k))
        reason, kind = REASONS[int(kinds[k])]
        if kinds[k] == OTHER:
            if k == 0 or kinds[k - 1] != OTHER:  # the second table's own header
                at = f"{r.place}, ligne {r.number}" if r.place else f"ligne {r.number}"
                second_header = f"{SECOND_TABLE} (en-tête {at} : « {excerpt(_text(r), 60)} »)"
            reason = second_header
        skipped.append(
            SkippedRow(r.number, r.place, reason, "" if kind == "blank" else _text(r), kind)
        )
        if kind == "total":
            where = int(np.searchsorted(data_index, k))
            first = next(c for c in r.cells if c)
            totals.append(TotalLine(r.number, r.place, dict(zip(labels, r.cells)), where, first))
    return skipped, totals


def _header_index(
    cells: _Cells, wanted: list[str], header_row: int | None, header_rows: int, path: Path
) -> int:
    """Where the header's last row is among the rows read, found or as the manifest says."""
    if header_row is None:
        top = cells.rows(0, min(len(cells), HEADER_SEARCH_ROWS))
        return find_header(top, wanted, None, header_rows, path)
    h = find_header([], wanted, header_row, header_rows, path, numbers=cells.numbers)
    if h + 1 < header_rows:
        raise SourceError(
            path,
            f"la ligne d'en-tête {header_row} n'existe pas",
            place="manifeste, read.header_row",
            fix="corriger read.header_row ou read.header_rows",
        )
    return h


def _above_the_table(cells: _Cells, first_header: int, head: list[GridRow]) -> list[SkippedRow]:
    """The titles and blanks above the header, then the header's own rows, each set aside."""
    skipped = [
        SkippedRow(
            r.number,
            r.place,
            "ligne au-dessus de l'en-tête (titre, logo)",
            _text(r),
            "blank" if r.is_blank else "title",
        )
        for r in cells.rows(0, first_header)
    ]
    return skipped + [
        SkippedRow(r.number, r.place, "ligne d'en-tête", _text(r), "header") for r in head
    ]


def _text(r: GridRow) -> str:
    return " | ".join(c for c in r.cells if c)


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, label in enumerate(labels):
        name = label or f"colonne {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out
