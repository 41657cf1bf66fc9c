"""From the rows a reader returns to a table: header found, titles, blanks, notes and totals set aside.

Shared by every format, so a title row above the header, a header over two rows, a header repeated
on each PDF page, a footnote or a "TOTAL" line are handled the same way whatever the file type.
Every row set aside is counted and kept with its reason: nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.problems import SourceError
from pipelines.readers.grid import GridRow
from pipelines.text import text_key

ROW = "_row"
PLACE = "_place"
HEADER_SEARCH_ROWS = 40


@dataclass(frozen=True)
class SkippedRow:
    row: int
    place: str | None
    reason: str
    text: str
    kind: str  # title | header | blank | note | total | filtered


@dataclass
class RawTable:
    """The data rows of a file under their header labels, with their place in the file."""

    frame: pd.DataFrame  # one str column per header label, plus ROW and PLACE
    labels: list[str]
    header_row: int
    header_place: str | None
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0


def _fill_merged(cells: tuple[str | None, ...]) -> list[str | None]:
    """A cell merged across columns is read once, in its first column: carry it to the right."""
    filled, last = [], None
    for c in cells:
        last = c if c is not None else last
        filled.append(last)
    return filled


def _labels(header_rows: list[GridRow], width: int) -> list[str]:
    if len(header_rows) == 1:
        cells = list(header_rows[0].cells) + [None] * width
        return [c or "" for c in cells[:width]]
    upper = [_fill_merged(tuple(list(r.cells) + [None] * width)[:width]) for r in header_rows[:-1]]
    lower = list(header_rows[-1].cells) + [None] * width
    labels = []
    for i in range(width):
        parts = [u[i] for u in upper if u[i]] + ([lower[i]] if lower[i] else [])
        deduped = [p for j, p in enumerate(parts) if p not in parts[:j]]
        labels.append(" ".join(deduped))
    return labels


def _matches(labels: list[str], wanted: list[str]) -> int:
    keys = {text_key(label) for label in labels if label}
    return sum(1 for w in wanted if text_key(w) in keys)


def find_header(rows: list[GridRow], wanted: list[str], header_row: int | None, header_rows: int,
                path: Path) -> int:
    """Index in `rows` of the last header row."""
    if header_row is not None:
        for i, r in enumerate(rows):
            if r.number == header_row + header_rows - 1:
                return i
        raise SourceError(path, f"la ligne d'en-tête {header_row} n'existe pas", place="manifeste, read.header_row",
                          fix="corriger read.header_row (numéro de ligne à partir de 1) ou le retirer")
    best, best_score = None, 0
    for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if i + 1 < header_rows:
            continue
        width = max(len(x.cells) for x in rows[i + 1 - header_rows: i + 1])
        score = _matches(_labels(rows[i + 1 - header_rows: i + 1], width), wanted)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        raise SourceError(
            path, "aucune ligne d'en-tête ne contient les colonnes du manifeste "
                  f"({', '.join(repr(w) for w in wanted)})",
            place=f"{HEADER_SEARCH_ROWS} premières lignes",
            fix="recopier dans `columns` les en-têtes tels qu'écrits dans le fichier, ou donner read.header_row")
    return best


def build_table(rows: list[GridRow], *, wanted: list[str], header_row: int | None, header_rows: int,
                skip_patterns: list[str], path: Path) -> RawTable:
    if not rows or all(r.is_blank for r in rows):
        raise SourceError(path, "aucune ligne lue", fix="vérifier que le fichier contient le tableau publié")
    h = find_header(rows, wanted, header_row, header_rows, path)
    head = rows[h + 1 - header_rows: h + 1]
    width = max(len(r.cells) for r in rows)
    labels = _labels(head, width)
    header_keys = [text_key(x) for x in labels]
    skip = [re.compile(p, re.I) for p in skip_patterns]

    skipped: list[SkippedRow] = []
    for r in rows[: h + 1 - header_rows]:
        skipped.append(SkippedRow(r.number, r.place, "ligne au-dessus de l'en-tête (titre, logo)",
                                  _text(r), "blank" if r.is_blank else "title"))
    for r in head:
        skipped.append(SkippedRow(r.number, r.place, "ligne d'en-tête", _text(r), "header"))

    data: list[list[str | None]] = []
    numbers: list[int] = []
    places: list[str | None] = []
    filled_columns = 0
    for r in rows[h + 1:]:
        cells = list(r.cells) + [None] * (width - len(r.cells))
        if r.is_blank:
            skipped.append(SkippedRow(r.number, r.place, "ligne vide", "", "blank"))
            continue
        if [text_key(c or "") for c in cells[:width]] == header_keys or _is_repeated_header(cells, head):
            skipped.append(SkippedRow(r.number, r.place, "en-tête répété (nouvelle page)", _text(r), "header"))
            continue
        first = next(c for c in cells if c)
        if any(p.search(first) for p in skip):
            skipped.append(SkippedRow(r.number, r.place, "ligne de total", _text(r), "total"))
            continue
        filled = sum(1 for c in cells if c)
        if filled == 1 and width >= 3 and filled_columns >= 3 and _looks_like_note(first):
            skipped.append(SkippedRow(r.number, r.place, "note sous le tableau", _text(r), "note"))
            continue
        filled_columns = max(filled_columns, filled)
        data.append(cells[:width])
        numbers.append(r.number)
        places.append(r.place)

    unique_labels = _unique(labels)
    frame = pd.DataFrame(data, columns=unique_labels, dtype="str") if data else pd.DataFrame(
        {label: pd.Series(dtype="str") for label in unique_labels})
    frame[ROW] = pd.Series(numbers, dtype="int64")
    frame[PLACE] = pd.Series(places, dtype="str")
    return RawTable(frame, labels, head[0].number, head[0].place, skipped, rows_read=len(rows))


def _looks_like_note(text: str) -> bool:
    return bool(re.match(r"^(\*|\(\d+\)|\d\)|source|note|nb|n\.b|\u00b9|\u00b2)", text, re.I)) or len(text) > 60


def _is_repeated_header(cells: list[str | None], head: list[GridRow]) -> bool:
    return any(tuple(c for c in cells if c) == tuple(c for c in h.cells if c) for h in head)


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


def column_for(table: RawTable, header: str, path: Path, canonical: str) -> str:
    """The frame column holding `header` as written in the manifest; a clear error when it is absent or twice."""
    key = text_key(header)
    found = [label for label, raw in zip(table.frame.columns, table.labels) if text_key(raw) == key]
    place = f"{table.header_place}, ligne {table.header_row}" if table.header_place else f"ligne {table.header_row}"
    if not found:
        present = ", ".join(repr(x) for x in table.labels if x)
        raise SourceError(path, f"colonne {header!r} (pour {canonical}) absente de l'en-tête", place=place,
                          fix=f"corriger columns.{canonical} dans le manifeste ; en-têtes présents : {present}")
    if len(found) > 1:
        raise SourceError(path, f"l'en-tête {header!r} apparaît {len(found)} fois", place=place,
                          fix="renommer l'une des colonnes dans le fichier, ou préciser l'en-tête sur deux lignes "
                              "(read.header_rows)")
    return found[0]
