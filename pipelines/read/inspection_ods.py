"""What an ODS file holds beyond its table: the sheets not read (hidden ones said so, a phone typed
as a number read with its 0), cell annotations and their authors, the document's properties
(meta.xml: initial creator, creator, the custom ones).

content.xml is streamed once: each row is freed once seen, a repeated row or cell counted, never
expanded, so the cost is linear in the file.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from lxml import etree

from pipelines.common import sieve
from pipelines.read.inspection import (
    HEADER_ROWS,
    Passage,
    cell_spot,
    phone_typed_as_number,
    property_passages,
    sheet_area,
)
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.hidden import ods_hidden_sheets
from pipelines.read.readers.ods import MAX_COLUMNS, MAX_ROWS, TABLE, TEXT
from pipelines.read.readers.sheets import choose_sheets

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DC = "http://purl.org/dc/elements/1.1/"


def _t(name: str) -> str:
    return f"{{{TABLE}}}{name}"


def _unescape(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8"))


def ods_passages(path: Path, options: ReadOptions) -> Iterator[Passage]:
    with zipfile.ZipFile(path) as archive:
        yield from property_passages(archive, "meta.xml")
        content = archive.read("content.xml")  # read whole by the reader already, under its limits
    names = [_unescape(n) for n in re.findall(rb'<table:table [^>]*?table:name="([^"]*)"', content)]
    hidden = ods_hidden_sheets(content, _unescape)
    visible = [n for n in names if n not in hidden]
    read = set(choose_sheets(path, names, visible, options)) if names else set()
    yield from _sheets(content, read, hidden)


class _Sheet:
    """Where the stream is in one sheet: row and column, hidden columns, cells worth a look."""

    def __init__(self, name: str, hidden: bool, read: bool) -> None:
        self.area = sheet_area(name, hidden)
        self.read = read
        self.row = 0
        self.column = 0
        self.column_defs = 0
        self.hidden_columns: list[tuple[int, int]] = []
        self.row_hidden = False
        self.cells: list[tuple[str, int, int, bool]] = []  # text, row, column, row hidden
        self.headers: dict[int, str] = {}  # column → its nearest text cell in the first rows

    def column_hidden(self, column: int) -> bool:
        return any(a <= column < b for a, b in self.hidden_columns)


def _sheets(content: bytes, read: set[str], hidden: set[str]) -> Iterator[Passage]:
    import io

    sheet: _Sheet | None = None
    events = etree.iterparse(
        io.BytesIO(content),
        events=("start", "end"),
        tag=(
            _t("table"),
            _t("table-row"),
            _t("table-column"),
            _t("table-cell"),
            _t("covered-table-cell"),
        ),
        huge_tree=True,
        resolve_entities=False,
    )
    for event, element in events:
        tag = element.tag
        if tag == _t("table"):
            if event == "start":
                name = element.get(_t("name"), "")
                sheet = _Sheet(name, name in hidden, name in read)
            elif sheet is not None:
                yield from _sieved(sheet)
                element.clear()
            continue
        if sheet is None:
            continue
        if tag == _t("table-column") and event == "start":
            repeat = min(int(element.get(_t("number-columns-repeated"), "1")), MAX_COLUMNS)
            if element.get(_t("visibility"), "visible") != "visible":
                sheet.hidden_columns.append((sheet.column_defs, sheet.column_defs + repeat))
            sheet.column_defs += repeat
        elif tag == _t("table-row"):
            if event == "start":
                sheet.column = 0
                sheet.row_hidden = element.get(_t("visibility"), "visible") != "visible"
            else:
                sheet.row += min(int(element.get(_t("number-rows-repeated"), "1")), MAX_ROWS)
                element.clear()
        elif event == "end":  # a cell
            yield from _cell(sheet, element)
            sheet.column += min(int(element.get(_t("number-columns-repeated"), "1")), MAX_COLUMNS)


def _cell(sheet: _Sheet, cell: etree._Element) -> Iterator[Passage]:
    """A cell's annotations (always: the reading never sees them) and, in a sheet not read, its text."""
    row = sheet.row + 1
    paragraphs = []
    for child in cell:
        if child.tag == f"{{{_OFFICE}}}annotation":
            spot = cell_spot(row, sheet.column, False, False).removeprefix("cellule ")
            on = f"commentaire de la cellule {spot} ({sheet.area})"
            for author in child.iter(f"{{{_DC}}}creator"):
                if author.text and author.text.strip():
                    yield Passage(f"auteur d'un {on}", author.text.strip(), kind="author")
            text = " ".join("".join(p.itertext()) for p in child.iter(f"{{{TEXT}}}p")).strip()
            if text:
                yield Passage(on, text)
        elif child.tag == f"{{{TEXT}}}p" and not sheet.read:
            paragraphs.append("".join(child.itertext()))
    text = "\n".join(paragraphs).strip()
    kind = cell.get(f"{{{_OFFICE}}}value-type", "string")
    if kind == "float" and not sheet.read:  # its 0 lost in the value and in the text shown
        header = sheet.headers.get(sheet.column)
        text = phone_typed_as_number(_number(cell.get(f"{{{_OFFICE}}}value")), header) or text
    elif text and kind == "string" and row <= HEADER_ROWS:
        sheet.headers[sheet.column] = text
    if text:
        sheet.cells.append((text, row, sheet.column, sheet.row_hidden))


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _sieved(sheet: _Sheet) -> Iterator[Passage]:
    if not sheet.cells:
        return
    sieved = sieve.candidates([c[0] for c in sheet.cells]).to_numpy(zero_copy_only=False)
    for i in np.flatnonzero(sieved):
        text, row, column, row_hidden = sheet.cells[i]
        spot = cell_spot(row, column, row_hidden, sheet.column_hidden(column))
        yield Passage(sheet.area, text, spot)
