"""One table over several sheets (one per département, say): each sheet laid out on its own, then
stacked, with the sheet's name as a column a manifest can map (`department: "(feuille)"`).

A sheet without the table's header (a « Synthèse » of formulas, notes) is skipped whole and
counted, never read as laureates. Rows are numbered on from one sheet to the next, so that a
number names one row of the source; each keeps its sheet as its place.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pipelines.common.problems import SourceError
from pipelines.common.text import text_key
from pipelines.read.hidden import HiddenFound
from pipelines.read.layout import ROW, RawTable, SkippedRow, TotalLine, build_table
from pipelines.read.manifest import SHEET_COLUMN
from pipelines.read.readers.grid import GridRow, hidden_in
from pipelines.read.readers.hidden import Hidden


def build_sheets_table(
    rows: Sequence[GridRow],
    *,
    wanted: list[str],
    header_row: int | None,
    header_rows: int | None,
    skip_patterns: list[str],
    path: Path,
    hidden_mode: str | None = None,
) -> RawTable:
    """`hidden_mode` is `read.hidden`: with « skip », a hidden sheet is set aside whole, counted."""
    places = list(dict.fromkeys(r.place for r in rows))
    hidden = hidden_in(rows)
    tables: list[RawTable] = []
    skipped: list[SkippedRow] = []
    offset = rows_read = 0
    for place in places:
        sheet = [r for r in rows if r.place == place]
        rows_read += len(sheet)
        parts = hidden.get(place)
        if parts and parts.sheet and hidden_mode == "skip":
            skipped += _hidden_sheet(sheet, offset, place)
            offset += max((r.number for r in sheet), default=0)
            continue
        table = _sheet_table(
            sheet, wanted, header_row, header_rows, skip_patterns, path, hidden_mode, hidden
        )
        if table is not None and parts and parts.sheet:
            table.hidden.insert(0, HiddenFound(place, sheet_rows=len(table.frame)))
        if table is None:
            skipped += _other_sheet(sheet, offset, place)
        else:
            tables.append(_renumbered(table, offset, place))
            skipped += tables[-1].skipped
        offset += max((r.number for r in sheet), default=0)
    if not tables:
        raise SourceError(
            path,
            "aucune feuille ne contient les colonnes du manifeste "
            f"({', '.join(repr(w) for w in wanted)})",
            place=f"feuilles {', '.join(repr(p) for p in places)}",
            fix="recopier dans `columns` les en-têtes tels qu'écrits, ou choisir les feuilles "
            "(read.sheets)",
        )
    return _stacked(tables, sorted(skipped, key=lambda s: s.row), rows_read)


def _other_sheet(sheet: list[GridRow], offset: int, place: str | None) -> list[SkippedRow]:
    """A sheet without the table's header (a summary, notes): each of its rows set aside, counted."""
    return [
        SkippedRow(
            r.number + offset,
            place,
            f"feuille « {place} » sans l'en-tête du tableau (synthèse, notes) : ignorée",
            _text(r),
            "other_table",
        )
        for r in sheet
    ]


def _stacked(tables: list[RawTable], skipped: list[SkippedRow], rows_read: int) -> RawTable:
    """The sheets' tables as one, under the first one's header, each line with its sheet's name."""
    first = tables[0]
    totals, position = [], 0
    for t in tables:
        totals += [
            TotalLine(x.row, x.place, x.cells, x.position + position, x.label) for x in t.totals
        ]
        position += len(t.frame)
    frame = pd.concat(
        [t.frame.reindex(columns=first.frame.columns) for t in tables], ignore_index=True
    )
    for column in frame.columns.drop(ROW):  # one chunk per column, as a single sheet's table has
        frame[column] = pd.Series(frame[column].tolist(), dtype="str")
    frame.insert(
        len(first.labels),
        SHEET_COLUMN,
        pd.Series([p for t in tables for p in [t.header_place] * len(t.frame)], dtype="str"),
    )
    return RawTable(
        frame,
        first.labels + [SHEET_COLUMN],
        first.header_row,
        first.header_place,
        skipped,
        rows_read,
        totals,
        hidden=[h for t in tables for h in t.hidden],
    )


def _hidden_sheet(sheet: list[GridRow], offset: int, place: str | None) -> list[SkippedRow]:
    """A sheet the workbook hides, under `read.hidden: skip`: every row set aside and counted."""
    return [
        SkippedRow(
            r.number + offset,
            place,
            f"feuille « {place} » masquée dans le classeur",
            _text(r),
            "blank" if r.is_blank else "hidden",
        )
        for r in sheet
    ]


def _sheet_table(
    sheet: list[GridRow],
    wanted: list[str],
    header_row: int | None,
    header_rows: int | None,
    skip_patterns: list[str],
    path: Path,
    hidden_mode: str | None,
    hidden: dict[str | None, Hidden],
) -> RawTable | None:
    """The sheet's table when its header names every wanted column; None for any other sheet."""
    if not any(r.cells and any(r.cells) for r in sheet):
        return None
    try:
        table = build_table(
            sheet,
            wanted=wanted,
            header_row=header_row,
            header_rows=header_rows,
            skip_patterns=skip_patterns,
            path=path,
            hidden_mode=hidden_mode,
            hidden=hidden,
        )
    except SourceError:
        return None
    keys = {text_key(x) for x in table.labels}
    return table if all(text_key(w) in keys for w in wanted) else None


def _renumbered(table: RawTable, offset: int, place: str | None) -> RawTable:
    frame = table.frame.copy()
    frame[ROW] = frame[ROW] + offset
    skipped = [SkippedRow(s.row + offset, s.place, s.reason, s.text, s.kind) for s in table.skipped]
    totals = [
        TotalLine(t.row + offset, t.place, t.cells, t.position, t.label) for t in table.totals
    ]
    return RawTable(
        frame,
        table.labels,
        table.header_row + offset,
        place,
        skipped,
        table.rows_read,
        totals,
        hidden=table.hidden,
    )


def _text(r: GridRow) -> str:
    return " | ".join(c for c in r.cells if c)
