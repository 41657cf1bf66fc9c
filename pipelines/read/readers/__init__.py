"""One reader per format, behind one interface: a file becomes rows of text cells.

Each reader returns every physical row it read as a `GridRow` (its number and place in the file,
its cells as cleaned text): a list for PDF, HTML and DOCX, a columnar `Grid` (a sequence of `GridRow`
too) for CSV, spreadsheets and JSON, which can be large. `pipelines.read.layout` then finds the header,
titles, notes and totals the same way for every format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.grid import Grid, GridRow

Reader = Callable[[Path, ReadOptions], Sequence[GridRow]]  # a list, or a columnar Grid


def reader_for(fmt: str) -> Reader:
    # Imported lazily: a CSV-only run does not pay for the PDF and spreadsheet libraries.
    if fmt == "csv":
        from pipelines.read.readers.csv import read_csv

        return read_csv
    if fmt == "xlsx":
        from pipelines.read.readers.xlsx import read_xlsx

        return read_xlsx
    if fmt == "ods":
        from pipelines.read.readers.ods import read_ods

        return read_ods
    if fmt == "pdf":
        from pipelines.read.readers.pdf import read_pdf

        return read_pdf
    if fmt == "html":
        from pipelines.read.readers.html import read_html

        return read_html
    if fmt == "json":
        from pipelines.read.readers.json import read_json

        return read_json
    if fmt == "docx":
        from pipelines.read.readers.docx import read_docx

        return read_docx
    raise ValueError(f"format inconnu {fmt!r}")


__all__ = ["Grid", "GridRow", "Reader", "reader_for"]
