"""ODS reader: content.xml streamed with lxml, repeated rows and columns expanded, merged cells carried.

odfpy builds a Python object per XML node and is slow on large sheets; the ODF table model is
small enough to read directly: a cell repeated N times (`number-columns-repeated`), a row repeated
N times (`number-rows-repeated`, also how trailing blank rows are stored), a cell spanning
several columns or rows with `covered-table-cell`s under it.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from pipelines.common.problems import SourceError
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.grid import Grid, SheetRows
from pipelines.read.readers.hidden import Hidden, Spans, ods_autofilters, ods_hidden_sheets
from pipelines.read.readers.sheets import cell_text, choose_sheets
from pipelines.read.readers.xlsx import check_container, grid_from_values, total_patterns

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # a spreadsheet's own edges
MAX_REPEAT = 10_000  # a repeated *filled* cell or row beyond this is formatting noise, not data


def _t(name: str) -> str:
    return f"{{{TABLE}}}{name}"


def read_ods(path: Path, options: ReadOptions) -> Grid | list:
    check_container(path, "ods")
    try:
        with zipfile.ZipFile(path) as archive:
            content = archive.read("content.xml")
        names = [
            _unescape(n) for n in re.findall(rb'<table:table [^>]*?table:name="([^"]*)"', content)
        ]
        if not names:
            raise SourceError(
                path, "le classeur ne contient aucune feuille", fix="vérifier le fichier"
            )
        hidden_sheets = ods_hidden_sheets(content, _unescape)
        visible = [n for n in names if n not in hidden_sheets]
        chosen = choose_sheets(path, names, visible, options)
        sheets = [
            (name, *_sheet(path, content, names.index(name), options.decimal)) for name in chosen
        ]
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise SourceError(
            path,
            f"classeur ods corrompu ou illisible ({exc})",
            fix="l'ouvrir dans un tableur et l'enregistrer de nouveau au format .ods",
        ) from exc
    totals = total_patterns(options)
    grids = [
        grid_from_values(rows, merged, name, options.decimal, totals)
        for name, rows, merged, _ in sheets
    ]
    filters = ods_autofilters(content, _unescape)
    found = {
        name: Hidden(rows, columns, filters.get(name) if rows else None, name in hidden_sheets)
        for name, _, _, (rows, columns) in sheets
    }
    hidden: dict[str | None, Hidden] = {name: h for name, h in found.items() if h}
    if options.sheets is None:
        grids[0].hidden = hidden
        return grids[0]
    # With read.sheets: the rows of every chosen sheet, each under its name.
    return SheetRows((row for grid in grids for row in grid), hidden)


def _unescape(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8"))


def _sheet(
    path: Path, content: bytes, index: int, decimal: str
) -> tuple[list[list], list, tuple[Spans, Spans]]:
    """The rows of the index-th sheet, read as a stream: each row is freed once read; with the
    rows and columns it hides (`table:visibility` « collapse » or « filter »)."""
    rows: list[list] = []
    merged: list = []
    hidden_rows: list[tuple[int, int]] = []
    hidden_columns: list[tuple[int, int]] = []
    column_no = 0
    pending_blank = (
        0  # blank rows are kept only when a filled row follows (trailing ones are padding)
    )
    table_no = -1
    events = etree.iterparse(
        io.BytesIO(content),
        events=("start", "end"),
        tag=(_t("table"), _t("table-row"), _t("table-column")),
        huge_tree=True,
        resolve_entities=False,
    )
    for event, element in events:
        if element.tag == _t("table"):
            if event == "start":
                table_no += 1
            elif table_no == index:
                break
            continue
        if event != "end" or table_no != index or element.getparent().tag == _t("table-cell"):
            continue
        if element.tag == _t("table-column"):
            repeat = int(element.get(_t("number-columns-repeated"), "1"))
            if element.get(_t("visibility"), "visible") != "visible":
                hidden_columns.append((column_no, column_no + repeat))
            column_no += repeat
            continue
        cells = _cells(element, decimal, len(rows) + pending_blank, merged)
        repeat = int(element.get(_t("number-rows-repeated"), "1"))
        if element.get(_t("visibility"), "visible") != "visible":
            first = len(rows) + pending_blank + 1
            hidden_rows.append((first, first + (min(repeat, MAX_REPEAT) if cells else repeat)))
        element.clear(keep_tail=False)
        if not cells:
            pending_blank += repeat
            continue
        if (
            len(rows) + pending_blank > MAX_ROWS
        ):  # a few bytes declaring a billion rows: refused, not allocated
            raise SourceError(
                path,
                f"la feuille déclare plus de {MAX_ROWS} lignes (lignes répétées)",
                fix="supprimer les lignes vides répétées sous le tableau, ou exporter la feuille en CSV",
            )
        rows.extend([] for _ in range(pending_blank))
        pending_blank = 0
        rows.extend(list(cells) for _ in range(min(repeat, MAX_REPEAT)))
    return rows, merged, (Spans.of(hidden_rows), Spans.of(hidden_columns))


def _cells(row: etree._Element, decimal: str, r0: int, merged: list) -> list:
    cells: list = []
    for cell in row:
        if cell.tag not in (_t("table-cell"), _t("covered-table-cell")):
            continue
        value = _value(cell, decimal) if cell.tag == _t("table-cell") else None
        repeat = int(cell.get(_t("number-columns-repeated"), "1"))
        spans = (
            int(cell.get(_t("number-rows-spanned"), "1")),
            int(cell.get(_t("number-columns-spanned"), "1")),
        )
        if spans != (1, 1):
            merged.append(((r0, len(cells)), (r0 + spans[0] - 1, len(cells) + spans[1] - 1)))
        # An empty cell repeated to the sheet's edge is how ODS ends a row; never beyond that edge.
        cells.extend(
            [value]
            * (
                min(repeat, MAX_REPEAT)
                if value is not None
                else min(repeat, MAX_COLUMNS - len(cells))
            )
        )
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _value(cell: etree._Element, decimal: str) -> str | float | None:
    kind = cell.get(f"{{{OFFICE}}}value-type")
    if kind in ("float", "currency"):
        return float(cell.get(f"{{{OFFICE}}}value"))  # written as text by column, as in xlsx
    if kind == "date":
        raw = cell.get(f"{{{OFFICE}}}date-value", "")
        return raw[:10] if raw.endswith("T00:00:00") or len(raw) == 10 else raw.replace("T", " ")
    if kind == "boolean":
        return cell_text(cell.get(f"{{{OFFICE}}}boolean-value") == "true")
    # string, percentage, time: the text as displayed
    paragraphs = [_text(p) for p in cell if p.tag == f"{{{TEXT}}}p"]
    text = "\n".join(paragraphs)
    return text or None


def _text(node: etree._Element) -> str:
    parts = [node.text or ""]
    for child in node:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{TEXT}}}c", "1")))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        elif tag != "note" and tag != "annotation":
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
