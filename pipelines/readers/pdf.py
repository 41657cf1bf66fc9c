"""PDF reader (pdfplumber): ruled tables as drawn, tables without rules from the words' positions.

- A page whose table has ruling lines is read by pdfplumber's table finder; a cell wrapped over
  two lines comes back as one cell.
- A page without rules is read from its words: lines are words sharing a baseline, columns are
  the vertical bands the widest lines leave free, and lines closer together than the table's row
  pitch are one row whose cells wrapped (or a paragraph under the table, read as one note).
- Rows are numbered through the whole document (place "page N" says where), so that each row
  of the file has its own number even when the same line number recurs on every page.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from pipelines.manifest import ReadOptions
from pipelines.problems import SourceError
from pipelines.readers.grid import GridRow
from pipelines.text import clean_cell

NO_TABLE_FIX = ("vérifier read.pages, ou demander à l'éditeur la liste au format tableur (xlsx, ods, csv) "
                "et la déposer à la place du PDF")


def parse_pages(path: Path, spec: str | None, count: int) -> list[int]:
    """`read.pages` ("1-3", "2,4", "5-") as 1-based page numbers, checked against the document."""
    if spec is None:
        return list(range(1, count + 1))
    pages: list[int] = []
    for part in str(spec).replace(" ", "").split(","):
        m = re.fullmatch(r"(\d+)(?:-(\d*))?", part)
        if not m:
            raise SourceError(path, f"read.pages {spec!r} illisible", place="manifeste, read.pages",
                              fix='écrire des pages ou des plages séparées par des virgules : "1-3", "2,4", "5-"')
        first = int(m.group(1))
        last = first if m.group(2) is None else int(m.group(2)) if m.group(2) else count
        pages += range(first, last + 1)
    outside = [p for p in pages if not 1 <= p <= count]
    if outside or not pages:
        raise SourceError(path, f"read.pages {spec!r} : le document n'a que {count} page(s)",
                          place="manifeste, read.pages", fix=f"choisir des pages entre 1 et {count}")
    return sorted(set(pages))


def read_pdf(path: Path, options: ReadOptions) -> list[GridRow]:
    if path.stat().st_size == 0:
        raise SourceError(path, "fichier vide", fix="déposer le PDF tel que publié")
    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect:
        raise SourceError(path, "PDF protégé par un mot de passe", fix="demander à l'éditeur une version non protégée")
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises many kinds on a damaged file
        raise SourceError(path, f"PDF corrompu ou illisible ({type(exc).__name__})",
                          fix="vérifier que le fichier s'ouvre dans un lecteur PDF, ou le télécharger de nouveau")
    with pdf:
        numbers = parse_pages(path, options.pages, len(pdf.pages))
        pages: list[tuple[int, list[list[str | None]] | None, list[_Word]]] = []
        has_text = False
        for n in numbers:
            page = pdf.pages[n - 1]
            has_text = has_text or bool(page.chars)
            ruled = _ruled_rows(page) if (page.lines or page.rects) else []
            pages.append((n, ruled, [] if ruled else _words(page)))
    if not has_text:
        raise SourceError(path, "le PDF ne contient pas de texte (document scanné ?)", fix=NO_TABLE_FIX)
    columns = _columns([w for _, _, words in pages for w in words])
    rows: list[GridRow] = []
    for n, ruled, words in pages:
        cells = ruled or (_rows_from_words(words, columns) if columns else [])
        rows += [GridRow(i, f"page {n}", tuple(c)) for i, c in enumerate(cells, start=len(rows) + 1)]
    if not rows or max(sum(1 for c in r.cells if c) for r in rows) < 2:
        raise SourceError(path, "aucun tableau trouvé dans le PDF (ni lignes de tableau, ni texte en colonnes)",
                          place=f"pages {options.pages}" if options.pages else None, fix=NO_TABLE_FIX)
    return rows


def _ruled_rows(page) -> list[list[str | None]]:
    rows = []
    for table in page.extract_tables():
        if len(table) < 2 or max(len(r) for r in table) < 2:
            continue
        rows += [[clean_cell(c) for c in row] for row in table]
    return rows


@dataclass(frozen=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def _words(page) -> list[_Word]:
    return [_Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)]


def _lines(words: list[_Word]) -> list[list[_Word]]:
    """Words whose vertical extents overlap form one line (a cell centred beside a wrapped one too)."""
    lines: list[list[_Word]] = []
    bottom = None
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        height = w.bottom - w.top
        if lines and bottom is not None and w.top < bottom - 0.3 * height:
            lines[-1].append(w)
            bottom = max(bottom, w.bottom)
        else:
            lines.append([w])
            bottom = w.bottom
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _segments(line: list[_Word]) -> list[tuple[float, float]]:
    """Runs of words separated by less than a column gap (about one character height)."""
    gap = 0.8 * statistics.median(w.bottom - w.top for w in line)
    runs: list[list[float]] = []
    for w in line:
        if runs and w.x0 - runs[-1][1] < gap:
            runs[-1][1] = max(runs[-1][1], w.x1)
        else:
            runs.append([w.x0, w.x1])
    return [(a, b) for a, b in runs]


def _columns(words: list[_Word]) -> list[float]:
    """Column boundaries (x positions) of a table without rules, from every page at once.

    The lines with the most separate runs of words (a full row, the header) set the columns;
    other lines may add a column in a free band (one left empty on the fullest lines) but never
    join two columns, so a wide title or footer cannot blur the table.
    """
    lines = _lines(words)
    segmented = [s for s in (_segments(line) for line in lines) if len(s) >= 2]
    if not segmented:
        return []
    most = max(len(s) for s in segmented)
    anchors: list[list[float]] = []
    for runs in (s for s in segmented if len(s) == most):
        for a, b in runs:
            _place(anchors, a, b, extend=True)
    for runs in (s for s in segmented if len(s) < most):
        for a, b in runs:
            _place(anchors, a, b, extend=False)
    anchors.sort()
    return [(left[1] + right[0]) / 2 for left, right in zip(anchors, anchors[1:])]


def _place(anchors: list[list[float]], a: float, b: float, extend: bool) -> None:
    touching = [x for x in anchors if x[0] <= b and a <= x[1]]
    if not touching:
        anchors.append([a, b])
    elif len(touching) == 1 and (extend or not any(x is not touching[0] and x[0] <= b and a <= x[1]
                                                   for x in anchors)):
        touching[0][0], touching[0][1] = min(touching[0][0], a), max(touching[0][1], b)
    elif extend:  # a run bridging two columns on a full line: they are one column
        merged = [min(a, *(x[0] for x in touching)), max(b, *(x[1] for x in touching))]
        for x in touching:
            anchors.remove(x)
        anchors.append(merged)


def _rows_from_words(words: list[_Word], boundaries: list[float]) -> list[list[str | None]]:
    lines = _lines(words)
    if not lines:
        return []
    tops = [min(w.top for w in line) for line in lines]
    pitches = [b - a for a, b in zip(tops, tops[1:])]
    height = statistics.median(w.bottom - w.top for w in words)
    leading = min((p for p in pitches if p >= 0.8 * height), default=None)
    # Lines closer than the row pitch belong to one row: only when some rows are spaced wider
    # (padding between rows), otherwise every line is its own row.
    same_row = leading * 1.25 if leading and max(pitches) > leading * 1.25 else 0.0
    groups: list[list[list[_Word]]] = [[lines[0]]]
    for pitch, line in zip(pitches, lines[1:]):
        if pitch < same_row:
            groups[-1].append(line)
        else:
            groups.append([line])
    rows = []
    for group in groups:
        cells: list[list[str]] = [[] for _ in range(len(boundaries) + 1)]
        prose = any(a < x < b for line in group for a, b in _segments(line) for x in boundaries)
        for line in group:
            for w in line:
                # Text running across a column boundary is a title or a note, not a table row:
                # it goes whole into the column where it starts.
                column = _column(group[0][0], boundaries) if prose else _column(w, boundaries)
                cells[column].append(w.text)
        rows.append([clean_cell(" ".join(c)) if c else None for c in cells])
    return rows


def _column(word: _Word, boundaries: list[float]) -> int:
    centre = (word.x0 + word.x1) / 2
    return sum(1 for x in boundaries if centre > x)
