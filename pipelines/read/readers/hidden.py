"""Rows, columns and sheets a spreadsheet hides, read from the file's own XML (attributes only).

calamine reads cells, not whether they show: a list published with its refused applications
hidden under an automatic filter reads, cell by cell, as if they were laureates. What a sheet
hides is found here; the layout then sets it aside or reads it, as `read.hidden` says.

A sheet's XML is first scanned, in chunks, for the few bytes that can hide anything
(`hidden="1"`, a zero height or width): most sheets hide nothing and are read no further. Only
those that do have their row and column tags read; cells are never parsed. The workbook's own
XML (sheet names, states, parts), small, is parsed with lxml.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from lxml import etree


@dataclass(frozen=True)
class Spans:
    """Sorted, disjoint [start, stop) ranges of numbers: a million hidden rows held as one range."""

    starts: tuple[int, ...] = ()
    stops: tuple[int, ...] = ()

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, int]]) -> Spans:
        merged: list[list[int]] = []
        for start, stop in sorted(p for p in pairs if p[1] > p[0]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], stop)
            else:
                merged.append([start, stop])
        return cls(tuple(s for s, _ in merged), tuple(e for _, e in merged))

    def __bool__(self) -> bool:
        return bool(self.starts)

    def contains(self, numbers: np.ndarray) -> np.ndarray:
        """Which of `numbers` fall in a range, for a whole column of row numbers at once."""
        if not self.starts:
            return np.zeros(len(numbers), dtype=bool)
        starts, stops = np.array(self.starts), np.array(self.stops)
        at = np.searchsorted(starts, numbers, side="right") - 1
        return (at >= 0) & (numbers < stops[np.maximum(at, 0)])


@dataclass(frozen=True)
class Hidden:
    """What one sheet hides. Rows are numbered as the file numbers them (1 = first line), columns
    from 0 (A)."""

    rows: Spans = field(default_factory=Spans)
    columns: Spans = field(default_factory=Spans)
    autofilter: str | None = None  # the filter's range (« A4:F40 »), when rows are hidden by one
    sheet: bool = False  # the whole sheet is hidden

    def __bool__(self) -> bool:
        return bool(self.rows or self.columns or self.sheet)


_SAFE = etree.XMLParser(resolve_entities=False, no_network=True)
# What can hide a row or a column: hidden="1", a zero height (rows) or a zero width (columns).
_MARK = re.compile(rb'hidden="(?:1|true)"|ht="0"|width="0"')  # a literal first: a fast search
_LONGEST_MARK = len(b'hidden="true"')
_HIDDEN_ROW = rb'row\b([^>]*?\b(?:hidden="(?:1|true)"|ht="0(?:\.0*)?")[^>]*)>'
_R = re.compile(rb'\br="(\d+)"')
_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_ATTR = re.compile(rb'\b([\w:]+)="([^"]*)"')
_CHUNK = 1 << 20


def xlsx_hidden(path: Path, names: list[str]) -> dict[str | None, Hidden]:
    """What each of the named sheets hides; a sheet hiding nothing is left out."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = xlsx_sheet_parts(archive)
            found = {name: _xlsx_sheet(archive, *sheets[name]) for name in names if name in sheets}
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError, ValueError):
        return {}  # calamine read the cells; an archive it reads but this cannot is left as read
    return {name: hidden for name, hidden in found.items() if hidden}


def xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, tuple[str, bool]]:
    """Each sheet's name → (its XML member, whether the workbook hides it)."""
    book = "xl/workbook.xml"
    for rel in etree.fromstring(archive.read("_rels/.rels"), _SAFE):
        if rel.get("Type", "").endswith("/officeDocument"):
            book = rel.get("Target", book).lstrip("/")
    rels_path = posixpath.join(posixpath.dirname(book), "_rels", posixpath.basename(book) + ".rels")
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in etree.fromstring(archive.read(rels_path), _SAFE)
    }
    sheets = {}
    for sheet in etree.fromstring(archive.read(book), _SAFE).iter("{*}sheet"):
        rid = next((v for k, v in sheet.attrib.items() if etree.QName(k).localname == "id"), None)
        target = targets.get(rid, "")
        member = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(posixpath.dirname(book), target))
        )
        state = sheet.get("state", "visible")
        sheets[sheet.get("name", "")] = (member, state in ("hidden", "veryHidden"))
    return sheets


def _marked(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether the sheet's XML holds anything that can hide a row or column: read in chunks, each
    searched with the end of the one before (a mark split between two chunks is still found)."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            block = tail + chunk
            if _MARK.search(block):
                return True
            tail = block[-_LONGEST_MARK:]
    return False


def _zero(value: bytes | None) -> bool:
    try:
        return value is not None and float(value) == 0
    except ValueError:
        return False


def _xlsx_sheet(archive: zipfile.ZipFile, member: str, sheet_hidden: bool) -> Hidden:
    """What one sheet hides, from its `<row>` and `<col>` tags and its `<autoFilter>`: the tags
    are searched in the XML text (a cell's text never holds a raw « < »); cells are never parsed."""
    if member not in archive.NameToInfo or not _marked(archive, member):
        return Hidden(sheet=sheet_hidden)
    data = archive.read(member)
    root = _ROOT.search(data, 0, 4096)
    p = re.escape(root.group(1) or b"") if root else b""  # « x: » in some generators' files
    body = data.find(b"sheetData")
    body = body if body >= 0 else len(data)
    columns = []
    for tag in re.compile(rb"<" + p + rb"col\b([^>]*)>").finditer(data, 0, body):
        attrs = dict(_ATTR.findall(tag.group(1)))
        if attrs.get(b"hidden") in (b"1", b"true") or _zero(attrs.get(b"width")):
            columns.append((int(attrs.get(b"min", b"1")) - 1, int(attrs.get(b"max", b"1"))))
    rows = []
    for tag in re.compile(rb"<" + p + _HIDDEN_ROW).finditer(data, body):
        number = _R.search(tag.group(1))
        # `r` may be left out (the row follows the previous one): the rows above are counted.
        n = int(number.group(1)) if number else _row_number(data, p, body, tag.end())
        rows.append((n, n + 1))
    end = data.rfind(b"sheetData")
    found = re.compile(rb"<" + p + rb'autoFilter\b[^>]*\bref="([^"]*)"').search(data, max(end, 0))
    autofilter = found.group(1).decode("ascii", "replace") if found else None
    return Hidden(Spans.of(rows), Spans.of(columns), autofilter, sheet_hidden)


def _row_number(data: bytes, prefix: bytes, start: int, end: int) -> int:
    """The number of the row whose tag ends at `end`, its rows above counted."""
    number = 0
    for tag in re.compile(rb"<" + prefix + rb"row\b([^>]*)>").finditer(data, start, end):
        given = _R.search(tag.group(1))
        number = int(given.group(1)) if given else number + 1
    return number


# --- ODS: a hidden sheet is a table whose style says display="false"; a filter is a database range.

_STYLE = re.compile(rb"<style:style\b[^>]*?(?:/>|>.*?</style:style>)", re.S)
_STYLE_NAME = re.compile(rb'style:name="([^"]*)"')
_TABLE_TAG = re.compile(rb"<table:table\b[^>]*>")
_TABLE_ATTR = re.compile(rb'table:(name|style-name)="([^"]*)"')
_RANGE = re.compile(rb"<table:database-range\b[^>]*>")
_ADDRESS = re.compile(r"^'?(.*?)'?\.\$?([A-Z]+)\$?(\d+):(?:'?.*?'?\.)?\$?([A-Z]+)\$?(\d+)$")


def ods_hidden_sheets(content: bytes, unescape: Callable[[bytes], str]) -> set[str]:
    """The names of the sheets an ODS content.xml hides (their table style: display="false")."""
    body = content.find(b"<office:body")
    hidden_styles = {
        _STYLE_NAME.search(m.group()).group(1)  # type: ignore[union-attr]
        for m in _STYLE.finditer(content, 0, body if body >= 0 else len(content))
        if b'style:family="table"' in m.group()
        and b'table:display="false"' in m.group()
        and _STYLE_NAME.search(m.group())
    }
    if not hidden_styles:
        return set()
    names = set()
    for tag in _TABLE_TAG.finditer(content):
        attrs = dict(_TABLE_ATTR.findall(tag.group()))
        if attrs.get(b"style-name") in hidden_styles and b"name" in attrs:
            names.add(unescape(attrs[b"name"]))
    return names


def ods_autofilters(content: bytes, unescape: Callable[[bytes], str]) -> dict[str, str]:
    """Sheet name → the range of its automatic filter (« A4:F40 »)."""
    found: dict[str, str] = {}
    ranges = content.rfind(b"<table:database-ranges")
    if ranges < 0:
        return found
    for tag in _RANGE.finditer(content, ranges):
        text = tag.group()
        address = re.search(rb'table:target-range-address="([^"]*)"', text)
        if b'table:display-filter-buttons="true"' not in text or not address:
            continue
        parts = _ADDRESS.match(unescape(address.group(1)))
        if parts:
            sheet, c0, r0, c1, r1 = parts.groups()
            found.setdefault(sheet, f"{c0}{r0}:{c1}{r1}")
    return found
