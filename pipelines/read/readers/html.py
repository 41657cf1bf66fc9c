"""HTML reader (lxml): every <table> of the page, colspan and rowspan expanded.

A page often holds several tables (layout, menus, the list itself): each is returned with place
"tableau N" and the layout keeps the one whose header names the manifest's columns, unless the
manifest says which (`read.table: 2`).
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from pipelines.common.problems import SourceError
from pipelines.common.text import clean_cell
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.csv import decode
from pipelines.read.readers.documents import chosen_tables
from pipelines.read.readers.grid import GridRow, SheetRows
from pipelines.read.readers.hidden import Hidden, Spans
from pipelines.read.readers.items import read_items

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
_MAX_SPAN = 1000
MAX_CELLS = 5_000_000  # spans expanded, per table
# How a page hides what it holds: rows of refused applications left in the markup, out of sight.
_HIDING_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)
_HIDING_CLASSES = frozenset({"hidden", "d-none", "hide", "is-hidden", "invisible"})


def read_html(path: Path, options: ReadOptions) -> list[GridRow]:
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(path, "fichier vide", fix="déposer la page HTML telle que publiée")
    declared = _META_CHARSET.search(data[:4096])
    encoding = options.encoding or (declared.group(1).decode("ascii") if declared else None)
    try:
        text = decode(path, data, encoding)
    except SourceError:
        if options.encoding:
            raise
        text = decode(path, data, None)  # a wrong <meta charset>: detect instead
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a str that declares its encoding
    try:
        document = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(
            path,
            f"page HTML illisible ({exc})",
            fix="déposer la page telle qu'enregistrée par le navigateur",
        ) from exc
    for junk in document.xpath("//script | //style | //noscript"):
        junk.drop_tree()
    for br in document.iter("br"):
        br.tail = "\n" + (br.tail or "")
    if options.items is not None:
        return read_items(document, options.items, path)
    tables = document.xpath("//table")
    if not tables:
        raise SourceError(
            path,
            "aucun tableau (<table>) dans la page HTML",
            fix="enregistrer la page une fois le tableau affiché ; une liste à puces se lit avec "
            "read.items (raw/README.md), ou déposer la liste au format tableur",
        )
    chosen = chosen_tables(tables, options.table, path, "la page")
    rows: list[GridRow] = []
    hidden: dict[str | None, Hidden] = {}
    for n, table in chosen:
        rows += [
            GridRow(i, f"tableau {n}", cells) for i, cells in enumerate(_expand(table), start=1)
        ]
        masked = _hidden_rows(table)
        if masked:
            hidden[f"tableau {n}"] = Hidden(rows=Spans.of((r, r + 1) for r in masked))
    return SheetRows(rows, hidden) if hidden else rows


def _hides(element) -> bool:
    """An element the browser does not show: `hidden`, `aria-hidden="true"`, `display: none`,
    `visibility: hidden`, or a class frameworks hide (« hidden », « d-none »…)."""
    if element.get("hidden") is not None or element.get("aria-hidden", "").lower() == "true":
        return True
    if _HIDING_STYLE.search(element.get("style", "")):
        return True
    return not _HIDING_CLASSES.isdisjoint(element.get("class", "").lower().split())


def _hidden_rows(table) -> list[int]:
    """The table's rows (numbered from 1, as read) a browser would not show: the row itself, its
    <tbody> or the table (or what holds it) hidden."""
    trs = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    if any(_hides(e) for e in (table, *table.iterancestors())):
        return list(range(1, len(trs) + 1))
    return [
        r
        for r, tr in enumerate(trs, start=1)
        if _hides(tr) or (tr.getparent() is not table and _hides(tr.getparent()))
    ]


def _expand(table) -> list[tuple[str | None, ...]]:
    """The table's own rows (not those of a table nested in a cell), spans copied into each cell."""
    grid: list[list[str | None]] = []
    below: dict[tuple[int, int], str | None] = {}  # (row, column) filled by a rowspan from above
    trs = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    for r, tr in enumerate(trs):
        row: list[str | None] = []
        col = 0
        for cell in tr.xpath("./th | ./td"):
            while (r, col) in below:
                row.append(below.pop((r, col)))
                col += 1
            value = clean_cell(cell.text_content())
            # A rowspan never reaches past the table's last row: « rowspan=1000 » in a 3-row table is 3.
            colspan, rowspan = (
                _span(cell.get("colspan")),
                min(_span(cell.get("rowspan")), len(trs) - r),
            )
            for c in range(col, col + colspan):
                row.append(value)
                for k in range(1, rowspan):
                    below[(r + k, c)] = value
            col += colspan
            if len(below) + col > MAX_CELLS:
                raise ValueError("cellules fusionnées démesurées (colspan, rowspan)")
        while (r, col) in below:
            row.append(below.pop((r, col)))
            col += 1
        grid.append(row)
    return [tuple(row) for row in grid]


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), _MAX_SPAN))
    except ValueError:
        return 1
