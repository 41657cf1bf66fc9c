"""PDF reader: ruled tables from their lines, tables without rules from the words' positions.

- Characters and lines come from PDFium (pypdfium2): about ten times faster than pdfminer, which
  a 200-page list needs. pdfplumber's table finder reads the ruled pages whose lines do not form
  one simple grid (merged cells, several tables, cells drawn as boxes).
- A ruled table: the horizontal rules cut rows, the vertical ones columns; a cell wrapped over two
  lines comes back as one cell. Text outside the grid (title, notes) is not part of the table.
- A table without rules: lines are words sharing a baseline, columns are the vertical bands the
  fullest lines leave free, and lines closer together than the table's row pitch are one row
  whose cells wrapped (or a paragraph under the table, read as one note).
- Rows are numbered through the whole document (place "page N" says where), so that each row
  of the file has its own number even when the same line number recurs on every page.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.common.problems import SourceError
from pipelines.common.text import clean_cell
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.cut_rows import join_cut_rows, join_lines
from pipelines.read.readers.grid import GridRow, ReadRows
from pipelines.read.readers.ocr import ocr_words, tesseract

NO_TABLE_FIX = (
    "vérifier read.pages, ou demander à l'éditeur la liste au format tableur (xlsx, ods, csv) "
    "et la déposer à la place du PDF"
)
RULE = 2.0  # a drawn path thinner than this (points) is a rule
TOLERANCE = 2.0  # how far apart two rules may be and still meet
_LINE_END_HYPHEN = ("\ufffe", "\x02")


def parse_pages(path: Path, spec: str | None, count: int) -> list[int]:
    """`read.pages` ("1-3", "2,4", "5-") as 1-based page numbers, checked against the document."""
    if spec is None:
        return list(range(1, count + 1))
    pages: list[int] = []
    for part in str(spec).replace(" ", "").split(","):
        m = re.fullmatch(r"(\d+)(?:-(\d*))?", part)
        if not m:
            raise SourceError(
                path,
                f"read.pages {spec!r} illisible",
                place="manifeste, read.pages",
                fix='écrire des pages ou des plages séparées par des virgules : "1-3", "2,4", "5-"',
            )
        first = int(m.group(1))
        last = first if m.group(2) is None else int(m.group(2)) if m.group(2) else count
        if not 1 <= first <= last <= count:  # checked before the range is built: « 1-999999999999 »
            raise SourceError(
                path,
                f"read.pages {spec!r} : le document n'a que {count} page(s)",
                place="manifeste, read.pages",
                fix=f"choisir des pages entre 1 et {count}",
            )
        pages += range(first, last + 1)
    outside = [p for p in pages if not 1 <= p <= count]
    if outside or not pages:
        raise SourceError(
            path,
            f"read.pages {spec!r} : le document n'a que {count} page(s)",
            place="manifeste, read.pages",
            fix=f"choisir des pages entre 1 et {count}",
        )
    return sorted(set(pages))


def _opened(path: Path) -> pdfium.PdfDocument:
    """The PDF opened by pdfium; a SourceError that says why it cannot be."""
    if path.stat().st_size == 0:
        raise SourceError(path, "fichier vide", fix="déposer le PDF tel que publié")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise SourceError(
                path,
                "PDF protégé par un mot de passe",
                fix="demander à l'éditeur une version non protégée",
            ) from exc
        raise SourceError(
            path,
            "PDF corrompu ou illisible",
            fix="vérifier que le fichier s'ouvre dans un lecteur PDF, ou le télécharger de nouveau",
        ) from exc


def read_pdf(path: Path, options: ReadOptions) -> list[GridRow]:
    document = _opened(path)
    plumber = None
    try:
        numbers = parse_pages(path, options.pages, len(document))
        pages: list[tuple[int, list[list[str | None]], list[_Word]]] = []
        has_text = False
        for n in numbers:
            page = document[n - 1]
            words = _words(page)
            has_text = has_text or bool(words)
            horizontal, vertical, drawn = _rules(page)
            page.close()
            grid = _grid(horizontal, vertical)
            if grid:
                pages.append((n, _grid_rows(words, *grid), []))
                continue
            ruled: list[list[str | None]] = []
            if drawn:  # lines that are not one simple grid: pdfplumber's table finder
                plumber = plumber or pdfplumber.open(path)
                ruled = _ruled_rows(plumber.pages[n - 1])
            pages.append((n, ruled, [] if ruled else words))
        if not has_text:  # a scan: the words Tesseract reads on each page's image
            program = tesseract(path)
            pages = [
                (n, [], [_Word(*w) for w in ocr_words(path, document[n - 1], program)])
                for n in numbers
            ]
    finally:
        document.close()
        if plumber is not None:
            plumber.close()
    columns = _columns([w for _, _, words in pages for w in words])
    tables = [
        (n, ruled or (_rows_from_words(words, columns) if columns and words else []))
        for n, ruled, words in pages
    ]
    rows: list[GridRow] = []
    for n, cells in join_cut_rows(tables):
        rows += [
            GridRow(i, f"page {n}", tuple(c)) for i, c in enumerate(cells, start=len(rows) + 1)
        ]
    if not rows or max(sum(1 for c in r.cells if c) for r in rows) < 2:
        raise SourceError(
            path,
            "aucun tableau trouvé dans le PDF (ni lignes de tableau, ni texte en colonnes)"
            + ("" if has_text else " après OCR du PDF scanné"),
            place=f"pages {options.pages}" if options.pages else None,
            fix=NO_TABLE_FIX,
        )
    return rows if has_text else ReadRows(rows, method="ocr")


def _ruled_rows(page) -> list[list[str | None]]:
    rows = []
    for table in page.extract_tables():
        if len(table) < 2 or max(len(r) for r in table) < 2:
            continue
        rows += [
            [
                clean_cell(join_lines(unicodedata.normalize("NFKC", c).split("\n"))) if c else None
                for c in row
            ]
            for row in table
        ]
    page.close()
    return rows


@dataclass(frozen=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def _words(page) -> list[_Word]:
    """Characters joined into words: a space, a line change or a gap ends a word (top-down coordinates)."""
    height = page.get_size()[1]
    textpage = page.get_textpage()
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: index them one by one
        text = "".join(textpage.get_text_range(i, 1)[:1] or " " for i in range(count))
    words: list[_Word] = []
    current: list | None = None  # [text, x0, x1, top, bottom]
    for i, ch in enumerate(text):
        if (
            ch in _LINE_END_HYPHEN
        ):  # PDFium marks a hyphen at a line's end: it is the text's own "-"
            ch = "-"
        if ch.isspace() or not ch.isprintable():
            if current:
                words.append(_Word(*current))
            current = None
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        top, bottom = height - top, height - bottom
        size = bottom - top
        if current and (
            abs(top - current[3]) > 0.5 * size
            or left - current[2] > 0.25 * size
            or left < current[1] - 1
        ):
            words.append(_Word(*current))
            current = None
        if current is None:
            current = [ch, left, right, top, bottom]
        else:
            current[0] += ch
            current[2] = max(current[2], right)
            current[3], current[4] = min(current[3], top), max(current[4], bottom)
    if current:
        words.append(_Word(*current))
    textpage.close()
    # Typeset ligatures (ﬁ, ﬂ) and compatibility forms read as the letters a person typed.
    return [
        w
        if w.text.isascii()
        else _Word(unicodedata.normalize("NFKC", w.text), w.x0, w.x1, w.top, w.bottom)
        for w in words
    ]


def _rules(page) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]], bool]:
    """Thin drawn paths: horizontal (y, x0, x1) and vertical (x, y0, y1) rules, and whether
    anything at all is drawn (boxes, shading: then pdfplumber decides)."""
    height = page.get_size()[1]
    horizontal, vertical, drawn = [], [], False
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,)):
        left, bottom, right, top = obj.get_bounds()
        y0, y1 = height - top, height - bottom
        drawn = True
        if y1 - y0 <= RULE and right - left > RULE * 2:
            horizontal.append(((y0 + y1) / 2, left, right))
        elif right - left <= RULE and y1 - y0 > RULE * 2:
            vertical.append(((left + right) / 2, y0, y1))
    return horizontal, vertical, drawn


def _merge(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear rules drawn in pieces (one per cell, as office suites do) joined into lines."""
    out: list[list[float]] = []
    for pos, a, b in sorted(segments, key=lambda s: (round(s[0]), s[1])):
        if out and abs(out[-1][0] - pos) <= TOLERANCE / 2 and a <= out[-1][2] + TOLERANCE:
            out[-1][2] = max(out[-1][2], b)
        else:
            out.append([pos, a, b])
    return [(p, a, b) for p, a, b in out]


def _grid(horizontal, vertical) -> tuple[list[float], list[float]] | None:
    """Column x and row y positions when the rules form one complete grid, else None.

    Every vertical rule must run from the top rule to the bottom one, and every horizontal rule
    between them across the whole table: anything else (a merged cell, two tables) is left to
    pdfplumber. Rules outside the table's height (a line under a title) do not count.
    """
    vertical, horizontal = _merge(vertical), _merge(horizontal)
    if len(vertical) < 2 or len(horizontal) < 2:
        return None
    top, bottom = min(v[1] for v in vertical), max(v[2] for v in vertical)
    left, right = min(v[0] for v in vertical), max(v[0] for v in vertical)
    if any(abs(v[1] - top) > TOLERANCE or abs(v[2] - bottom) > TOLERANCE for v in vertical):
        return None
    inside = [h for h in horizontal if top - TOLERANCE <= h[0] <= bottom + TOLERANCE]
    if len(inside) < 2 or any(h[1] > left + TOLERANCE or h[2] < right - TOLERANCE for h in inside):
        return None
    xs = sorted({round(v[0], 1) for v in vertical})
    ys = sorted({round(h[0], 1) for h in inside})
    return xs, ys


def _grid_rows(words: list[_Word], xs: list[float], ys: list[float]) -> list[list[str | None]]:
    """The words in each cell of the grid, in reading order; words outside the grid are not the table's."""
    cells: list[list[list[_Word]]] = [[[] for _ in xs[1:]] for _ in ys[1:]]
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        r, c = bisect.bisect(ys, cy) - 1, bisect.bisect(xs, cx) - 1
        if 0 <= r < len(ys) - 1 and 0 <= c < len(xs) - 1:
            cells[r][c].append(w)
    return [
        [
            clean_cell(join_lines([" ".join(w.text for w in line) for line in _lines(cell)]))
            if cell
            else None
            for cell in row
        ]
        for row in cells
    ]


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
    return [(left[1] + right[0]) / 2 for left, right in itertools.pairwise(anchors)]


def _place(anchors: list[list[float]], a: float, b: float, extend: bool) -> None:
    touching = [x for x in anchors if x[0] <= b and a <= x[1]]
    if not touching:
        anchors.append([a, b])
    elif len(touching) == 1 and (
        extend or not any(x is not touching[0] and x[0] <= b and a <= x[1] for x in anchors)
    ):
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
    pitches = [b - a for a, b in itertools.pairwise(tops)]
    height = statistics.median(w.bottom - w.top for w in words)
    leading = min((p for p in pitches if p >= 0.8 * height), default=None)
    # Lines closer than the row pitch belong to one row: only when some rows are spaced wider
    # (padding between rows), otherwise every line is its own row.
    # Never further apart than two text heights: a cell's wrapped lines are closer (a wide title
    # gap above an evenly spaced table must not make its rows one).
    same_row = min(leading * 1.25, 2 * height) if leading and max(pitches) > leading * 1.25 else 0.0
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
            texts: list[list[str]] = [[] for _ in cells]
            for w in line:
                # Text running across a column boundary is a title or a note, not a table row:
                # it goes whole into the column where it starts.
                column = _column(group[0][0], boundaries) if prose else _column(w, boundaries)
                texts[column].append(w.text)
            for column, parts in enumerate(texts):
                if parts:
                    cells[column].append(" ".join(parts))
        rows.append([clean_cell(join_lines(c)) if c else None for c in cells])
    return rows


def _column(word: _Word, boundaries: list[float]) -> int:
    centre = (word.x0 + word.x1) / 2
    return sum(1 for x in boundaries if centre > x)
