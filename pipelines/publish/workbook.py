"""The package's tables in one Excel workbook, data/mille-jours.xlsx, one sheet each, beside the
CSV files: French Excel opens a comma-separated file as one column, a workbook as it is.

Numbers are numbers (Excel shows them with its own decimal comma), dates are dates, text is
text: a cell that begins like a formula is stored as text, never run. The first sheet says what
the workbook is. The same tables give the same bytes: the document's dates are the release's
date, and every part of the file carries one fixed date.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from schemas.spec import Table
from schemas.tables import TABLES

PATH = "data/mille-jours.xlsx"
ABOUT = "à_propos"
# The earliest date a zip entry can carry: no part of the file says when it was written.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# How openpyxl recognises a formula in a plain value: such a text gets a cell typed as text.
_FORMULA_START = "="


def _release_date(descriptor: dict[str, Any]) -> dt.datetime:
    created = str(descriptor["created"]).replace("Z", "+00:00")
    return dt.datetime.fromisoformat(created).replace(tzinfo=None)


def _text(value: str) -> str:
    """Control characters Excel refuses, shown as « � » rather than dropped unseen."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def _cell(sheet: Any, value: Any, kind: str, bold: bool = False) -> WriteOnlyCell:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        value = None
    elif kind == "number":
        value = float(value)
    elif kind == "integer":
        value = int(value)
    elif kind == "boolean":
        value = bool(value)
    elif kind == "date":
        value = dt.date.fromisoformat(str(value))
    else:
        value = _text(str(value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # « =1+1 » in a source stays text: Excel never runs it
    elif kind == "date":
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _about(book: Workbook, descriptor: dict[str, Any]) -> None:
    sheet = book.create_sheet(ABOUT)
    licence = descriptor["licenses"][0]
    lines = [
        (descriptor["title"], ""),
        ("Version", str(descriptor["version"])),
        ("Données au", str(descriptor["created"])[:10]),
        ("Licence", f"{licence['title']} ({licence['name']})"),
        ("", ""),
        (
            "Une feuille par table du paquet, les mêmes lignes que data/<table>.csv ; "
            "datapackage.json et README.md décrivent chaque colonne.",
            "",
        ),
        ("Feuille", "Contenu"),
    ] + [(t.name, t.title) for t in TABLES.values()]
    for first, second in lines:
        bold = first in ("Feuille", descriptor["title"])
        sheet.append([_cell(sheet, first, "string", bold), _cell(sheet, second, "string", bold)])


def _table_sheet(book: Workbook, table: Table, frame: pd.DataFrame) -> None:
    sheet = book.create_sheet(table.name[:31])
    sheet.append([_cell(sheet, f.name, "string", bold=True) for f in table.fields])
    columns = [_values(sheet, frame[f.name].tolist(), f.type) for f in table.fields]
    for row in zip(*columns):
        sheet.append(row)


def _values(sheet: Any, values: list, kind: str) -> list:
    """A column's cells for `sheet.append`: plain values, which openpyxl writes fastest, but for
    a text that begins like a formula and a date, which need a cell of their own (`_cell`)."""
    if kind in ("number", "integer", "boolean"):
        convert = {"number": float, "integer": int, "boolean": bool}[kind]
        return [None if _missing(v) else convert(v) for v in values]
    if kind == "date":
        return [None if _missing(v) else _cell(sheet, v, kind) for v in values]
    return [
        None
        if _missing(v)
        else _cell(sheet, v, kind)
        if str(v).startswith(_FORMULA_START)
        else _text(str(v))
        for v in values
    ]


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def workbook_bytes(tables: dict[str, pd.DataFrame], descriptor: dict[str, Any]) -> bytes:
    book = Workbook(write_only=True)
    book.properties.title = descriptor["title"]
    book.properties.creator = "mille-jours"
    book.properties.created = book.properties.modified = _release_date(descriptor)
    _about(book, descriptor)
    for name, table in TABLES.items():
        _table_sheet(book, table, tables[name])
    written = io.BytesIO()
    # ExcelWriter rather than save(), which stamps the document with the time of writing.
    ExcelWriter(book, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_dates(written.getvalue())


def _fixed_dates(xlsx: bytes) -> bytes:
    """The same parts in the same order, each dated ZIP_DATE."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            part.compress_type = zipfile.ZIP_DEFLATED
            part.external_attr = 0o644 << 16
            target.writestr(part, source.read(info))
    return out.getvalue()


def write_workbook(
    folder: Path, tables: dict[str, pd.DataFrame], descriptor: dict[str, Any]
) -> int:
    """Writes the workbook; its size in bytes."""
    return (folder / PATH).write_bytes(workbook_bytes(tables, descriptor))
