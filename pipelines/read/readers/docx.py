"""DOCX reader (python-docx): every table of a Word document, merged cells carried over their range.

- A document often holds several tables (a summary by funder, then the laureates; a list split in
  two by a page break, its header repeated): each is returned with place "tableau N", in document
  order, as the HTML reader does, and the layout keeps those whose header names the manifest's
  columns, unless the manifest says which (`read.table: 2`). Paragraphs outside tables (titles,
  notes) are not rows.
- A cell merged across columns (gridSpan) or down rows (vMerge) gives its value to every grid cell
  it covers, as a merged cell does in the spreadsheet and HTML readers; a row starting late
  (gridBefore) keeps its cells under their columns.
- A cell's paragraphs are joined by a line break, which `clean_cell` folds to a space as for every
  format; deleted text of tracked changes is not read.
- A table nested in a cell is read as a table of its own ("tableau N+1", after its outer table),
  and its text also stays in the outer cell, in reading order. Its rows are never spliced into the
  outer table's (that would scramble them), and the outer cell never loses what it shows: a list
  laid out inside a frame table is still found by its header, and an amount cell holding a small
  table is read as text that is no amount, rejected with its value rather than read as empty.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from pipelines.common.problems import SourceError
from pipelines.common.text import clean_cell
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.documents import chosen_tables
from pipelines.read.readers.grid import GridRow
from pipelines.read.readers.xlsx import MAX_UNZIPPED_BYTES, OLE_SIGNATURE, ZIP_SIGNATURE

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # word/document.xml unzipped: a list of laureates is a few MB
MAX_CELLS = 5_000_000  # grid cells, merges expanded, over the whole document
MAX_DEPTH = 5  # tables inside tables inside tables…
_MAX_SPAN = 1000  # Word's own grid stops at 63 columns
_CORRUPT = "document Word corrompu (archive ou XML illisible)"
_FIX_SAVE = "l'ouvrir dans Word ou LibreOffice et l'enregistrer de nouveau au format .docx"

# Tables in a text box are written twice (the drawing and its fallback): read the first only.
_TABLES = etree.XPath(".//w:tbl[not(ancestor::mc:Fallback)]", namespaces=NS)
_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr", namespaces=NS)
_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces=NS)
_DEPTH = etree.XPath("count(ancestor::w:tbl)", namespaces=NS)
# A run's visible text: what tracked changes deleted, or a drawing's fallback copy, is left out.
_TEXT = etree.XPath(
    ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::mc:Fallback)]"
    "/*[self::w:t or self::w:tab or self::w:br or self::w:cr or self::w:noBreakHyphen]",
    namespaces=NS,
)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def read_docx(path: Path, options: ReadOptions) -> list[GridRow]:
    body = _body(path)
    tables = _TABLES(body)
    if not tables:
        raise SourceError(
            path,
            "aucun tableau dans le document Word",
            fix="vérifier que la liste y est bien un tableau (Insertion > Tableau) ; une liste "
            "écrite en paragraphes se recopie dans un tableur (xlsx, ods, csv) à déposer à la place",
        )
    deepest = max(int(_DEPTH(t)) for t in tables)
    if deepest >= MAX_DEPTH:
        raise SourceError(
            path,
            f"tableaux imbriqués sur {deepest + 1} niveaux (un tableau dans une cellule d'un "
            f"tableau…), au-delà de la limite de {MAX_DEPTH}",
            fix="recopier la liste dans un tableau simple, ou la déposer au format tableur",
        )
    chosen = chosen_tables(tables, options.table, path, "le document")
    budget = [MAX_CELLS]
    rows: list[GridRow] = []
    for n, table in chosen:
        rows += [
            GridRow(i, f"tableau {n}", cells)
            for i, cells in enumerate(_expand(table, path, budget), start=1)
        ]
    return rows


def _body(path: Path) -> etree._Element:
    """The document's body, once the file is known to be a .docx of a sane size."""
    import docx
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import PackageNotFoundError

    _check_container(path)
    try:
        document = docx.Document(str(path))
    except ValueError as exc:
        if "content type" not in str(exc):
            raise SourceError(path, _CORRUPT, fix=_FIX_SAVE) from exc
        # python-docx: « file … is not a Word file, content type is … »
        raise SourceError(
            path,
            "ce n'est pas un document Word (.docx) : un autre document Office renommé",
            fix="déposer le document Word d'origine, ou donner au fichier sa vraie extension "
            "(.xlsx pour un classeur, .pptx pour une présentation)",
        ) from exc
    except (
        KeyError,
        PackageNotFoundError,
        PythonDocxError,
        zipfile.BadZipFile,
        etree.XMLSyntaxError,
        OSError,
    ) as exc:
        # Not an Office package at all (PackageNotFoundError), a part missing, XML cut short.
        raise SourceError(path, _CORRUPT, fix=_FIX_SAVE) from exc
    return document.element.body


def _check_container(path: Path) -> None:
    """Say what the file is when it is not the zip a .docx is, and refuse an absurd size."""
    with path.open("rb") as file:
        head = file.read(4096)
    if not head.strip():
        raise SourceError(path, "fichier vide", fix="déposer le document Word tel que publié")
    if head.startswith(OLE_SIGNATURE):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise SourceError(
                path,
                "document Word protégé par un mot de passe (chiffré)",
                fix="l'ouvrir avec son mot de passe et l'enregistrer sans protection, ou demander "
                "à l'éditeur une version non protégée",
            )
        raise SourceError(
            path,
            "fichier au format Word 97-2003 (.doc), pas .docx",
            fix="l'ouvrir dans Word ou LibreOffice et l'enregistrer au format .docx",
        )
    if not head.startswith(ZIP_SIGNATURE):
        raise SourceError(
            path,
            f"ce n'est pas un document Word .docx (contenu d'un autre type){_kind(head)}",
            fix="déposer le document Word d'origine, ou corriger read.format",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(
            path, "document Word corrompu (archive zip illisible)", fix=_FIX_SAVE
        ) from exc
    unzipped = sum(m.file_size for m in members)
    text = sum(m.file_size for m in members if m.filename == "word/document.xml")
    if unzipped > MAX_UNZIPPED_BYTES or text > MAX_DOCUMENT_BYTES:
        raise SourceError(
            path,
            f"le document se décompresse en {unzipped // 2**20} Mo, dont {text // 2**20} Mo de "
            f"texte, au-delà de la limite de {MAX_DOCUMENT_BYTES // 2**20} Mo de texte",
            fix="vérifier le fichier (une liste de lauréats tient en quelques Mo), ou l'exporter "
            "au format tableur",
        )


def _kind(head: bytes) -> str:
    lowered = head.lower()
    if head.startswith(b"%PDF"):
        return " ; c'est un PDF : lui donner l'extension .pdf"
    if head.startswith(b"{\\rtf"):
        return " ; c'est un document RTF : l'enregistrer au format .docx"
    if b"<html" in lowered or b"<table" in lowered:
        return " ; il contient du HTML : indiquer read.format: html"
    return ""


def _expand(table: etree._Element, path: Path, budget: list[int]) -> list[tuple[str | None, ...]]:
    """The table's own rows, each merged cell's value in every grid cell it covers. `budget`: the
    grid cells the document may still hold, spent as they are made (a few bytes of gridSpan must
    not become billions of cells)."""
    grid: list[list[str | None]] = []
    for tr in _ROWS(table):
        before = min(_val(tr.find(f"{_w('trPr')}/{_w('gridBefore')}"), 0), _MAX_SPAN)
        row: list[str | None] = [None] * before
        for tc in _CELLS(tr):
            props = tc.find(_w("tcPr"))
            span = min(_val(_prop(props, "gridSpan"), 1), _MAX_SPAN)
            if _continued(_prop(props, "vMerge")) and grid and len(grid[-1]) > len(row):
                value = grid[-1][len(row)]  # merged down: the value of the cell above
            elif _continued(_prop(props, "hMerge")) and row:
                value = row[-1]  # merged across the old way: the value on the left
            else:
                value = clean_cell(_cell_text(tc))
            row += [value] * span
            budget[0] -= span
            if budget[0] < 0:
                raise SourceError(
                    path,
                    f"le document compte plus de {MAX_CELLS} cellules (cellules fusionnées "
                    "démesurées ?)",
                    fix="vérifier le fichier, ou déposer la liste au format tableur",
                )
        grid.append(row)
    return [tuple(row) for row in grid]


def _prop(props: etree._Element | None, name: str) -> etree._Element | None:
    return None if props is None else props.find(_w(name))


def _val(element: etree._Element | None, default: int) -> int:
    """A count attribute (w:val) as written, `default` when absent or unreadable."""
    if element is None:
        return default
    try:
        return max(0, int(element.get(_w("val"), default)))
    except ValueError:
        return default


def _continued(element: etree._Element | None) -> bool:
    """A merge mark without « restart »: the cell goes on with the one above (or on the left)."""
    return element is not None and element.get(_w("val"), "continue") == "continue"


def _cell_text(tc: etree._Element) -> str:
    """The cell's paragraphs (and nested tables' text), one line each, in reading order."""
    lines: list[str] = []
    for child in tc:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "p":
            lines.append(_paragraph_text(child))
        elif tag == "tbl":
            lines += [" ".join(c for c in r if c) for r in _nested(child)]
        elif tag in ("sdt", "customXml"):
            content = child.find(_w("sdtContent")) if tag == "sdt" else child
            if content is not None:
                lines.append(_cell_text(content))
    return "\n".join(lines)


def _nested(table: etree._Element) -> list[list[str]]:
    return [[_cell_text(tc) for tc in _CELLS(tr)] for tr in _ROWS(table)]


def _paragraph_text(p: etree._Element) -> str:
    parts = []
    for e in _TEXT(p):
        tag = etree.QName(e).localname
        if tag == "t":
            parts.append(e.text or "")
        elif tag == "noBreakHyphen":
            parts.append("-")
        elif tag == "tab":
            parts.append(" ")
        elif tag == "cr" or e.get(_w("type"), "textWrapping") == "textWrapping":
            parts.append("\n")  # a line break; a page or column break is no text
    return "".join(parts)
