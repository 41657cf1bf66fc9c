"""What a file holds beyond the table its reading looks at, listed as an office suite's document
inspector lists it before a file goes public: every sheet (hidden ones said so), hidden rows and
columns, cell comments and annotations, the document's properties (author, last modified by), the
text of a Word document around its table; web pages and PDF in `inspection_pages`.

raw/ is published as is: personal data anywhere in the file is published with it. Each passage says
where it is, in French, for the contributor to find and remove it. Parts are read under the readers'
own limits (the archive's declared size was checked when the table was read; each XML part here is
read up to `MAX_PART_BYTES`), as streams, in one pass: the cost is linear in the file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from lxml import etree
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from pipelines.common import sieve
from pipelines.common.text import text_key
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.docx import MAX_DOCUMENT_BYTES
from pipelines.read.readers.hidden import Hidden, xlsx_hidden, xlsx_sheet_parts
from pipelines.read.readers.sheets import choose_sheets

MAX_PART_BYTES = MAX_DOCUMENT_BYTES  # one XML part of an archive (comments, properties, a sheet)


@dataclass(frozen=True)
class Passage:
    """A piece of text of the file and where it is: `area` (« feuille masquée « Contacts » »,
    « propriétés du document : auteur ») and `spot` inside it (« cellule B4 »).

    `kind`: "text" (searched for personal data), "author" (a name alone is personal: a property or
    a comment's author), "too_large" (a part beyond the limits, not inspected). `read`: the part
    the table's reading looks at too, whose findings it already reports."""

    area: str
    text: str
    spot: str | None = None
    kind: str = "text"
    read: bool = False

    @property
    def place(self) -> str:
        return f"{self.area}, {self.spot}" if self.spot else self.area


def passages(path: Path, fmt: str, options: ReadOptions) -> Iterator[Passage]:
    """Every passage of the file worth a look, in file order; nothing for CSV and JSON (read whole)."""
    if fmt == "xlsx":
        yield from _xlsx(path, options)
    elif fmt == "ods":
        from pipelines.read.inspection_ods import ods_passages

        yield from ods_passages(path, options)
    elif fmt == "docx":
        yield from _docx(path)
    elif fmt in ("html", "pdf"):
        from pipelines.read.inspection_pages import html_passages, pdf_passages

        yield from (html_passages if fmt == "html" else pdf_passages)(path, options)


def column_letters(index: int) -> str:
    """0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_area(name: str, hidden: bool) -> str:
    return f"feuille masquée « {name} »" if hidden else f"feuille « {name} »"


def cell_spot(row: int, column: int, rows_hidden: bool, column_hidden: bool) -> str:
    """« cellule B4 », « cellule B4 (ligne masquée) »; `row` 1-based, `column` 0-based."""
    hidden = [
        w for w, h in (("ligne masquée", rows_hidden), ("colonne masquée", column_hidden)) if h
    ]
    return f"cellule {column_letters(column)}{row}" + (f" ({', '.join(hidden)})" if hidden else "")


def read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A part of the archive, or None beyond `MAX_PART_BYTES` (said as not inspected)."""
    if archive.getinfo(name).file_size > MAX_PART_BYTES:
        return None
    return archive.read(name)


_OFFICE_PROPERTIES = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_PROPERTIES = {  # (namespace-free tag) → (what it is, kind)
    "creator": ("auteur", "author"),
    "lastModifiedBy": ("dernière modification par", "author"),
    "initial-creator": ("auteur", "author"),
    "title": ("titre", "text"),
    "subject": ("sujet", "text"),
    "description": ("commentaires", "text"),
    "keywords": ("mots-clés", "text"),
    "keyword": ("mots-clés", "text"),
    "Manager": ("responsable", "author"),
}


# A custom property whose name says a person holds a name alone (« Contact », « Rédigé par »,
# « DocOwner »): its value is judged as an author is. Words compared by `text_key`.
_PERSON_PROPERTY_WORDS = frozenset(
    "contact contacts responsable auteur auteurs redacteur redige redigee "  # noqa: SIM905
    "referent referente interlocuteur interlocutrice correspondant correspondante "
    "signataire gestionnaire owner author manager".split()
)
_META_NAME = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}name"


def property_passages(archive: zipfile.ZipFile, *parts: str) -> Iterator[Passage]:
    """Document properties (docProps/core.xml, docProps/app.xml, meta.xml): author, last modified
    by, title, subject, comments, keywords; and the custom ones (docProps/custom.xml, an ODS's
    meta:user-defined), each by its name."""
    for part in parts:
        if part not in archive.NameToInfo:
            continue
        data = read_part(archive, part)
        if data is None:
            yield Passage("propriétés du document", "", kind="too_large")
            continue
        for element in etree.fromstring(data, _SAFE).iter():
            if not isinstance(element.tag, str):
                continue
            tag = etree.QName(element).localname
            text = " ".join("".join(element.itertext()).split())
            if tag in ("property", "user-defined"):  # custom.xml, meta.xml
                name = element.get("name") or element.get(_META_NAME) or "?"
                if text:
                    yield _custom_property(name, text)
            elif (found := _PROPERTIES.get(tag)) and text:
                yield Passage(f"propriétés du document : {found[0]}", text, kind=found[1])


def _custom_property(name: str, text: str) -> Passage:
    words = text_key(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)).split()  # « DocOwner » too
    person = any(w in _PERSON_PROPERTY_WORDS for w in words)
    area = f"propriétés personnalisées du document : {' '.join(name.split())}"
    return Passage(area, text, kind="author" if person else "text")


def _xlsx(path: Path, options: ReadOptions) -> Iterator[Passage]:
    with zipfile.ZipFile(path) as archive:
        yield from property_passages(archive, *_OFFICE_PROPERTIES)
        parts = xlsx_sheet_parts(archive)
        for name, (member, masked) in parts.items():
            yield from _comments(archive, name, member, masked)
        yield from _comment_persons(archive)
    with CalamineWorkbook.from_path(str(path)) as workbook:
        sheets = [m for m in workbook.sheets_metadata if "WorkSheet" in str(m.typ)]
        names = [m.name for m in sheets]
        visible = [m.name for m in sheets if m.visible == SheetVisibleEnum.Visible]
        # The sheets the table is read from are searched whole by the reading (titles, notes,
        # hidden rows, columns without a header): only the others are searched here.
        unread = [n for n in names if n not in set(choose_sheets(path, names, visible, options))]
        hidden = xlsx_hidden(path, unread)
        for name in unread:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            yield from sheet_passages(
                name, rows, hidden.get(name, Hidden(sheet=name not in visible))
            )


def sheet_passages(name: str, rows: list[list], hidden: Hidden) -> Iterator[Passage]:
    """The cells of a sheet that may hold personal data (the sieve, over the whole sheet at once),
    each at its cell: « feuille masquée « Contacts », cellule B4 (colonne masquée) »."""
    # Text cells, and the numbers of a phone column: a number or a date cannot hold a name or an
    # address, and a phone typed as a number has lost its 0 (`phone_typed_as_number`).
    texts, spots = [], []
    headers: dict[int, str] = {}
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if value and isinstance(value, str):
                texts.append(value)
                spots.append((r, c))
                if r <= HEADER_ROWS:
                    headers[c] = value
            elif phone := phone_typed_as_number(value, headers.get(c)):
                texts.append(phone)
                spots.append((r, c))
    if not texts:
        return
    sieved = sieve.candidates(texts).to_numpy(zero_copy_only=False)
    found = [(texts[i], *spots[i]) for i in np.flatnonzero(sieved)]
    if not found:
        return
    rows_hidden = hidden.rows.contains(np.array([r for _, r, _ in found]))
    columns_hidden = hidden.columns.contains(np.array([c for _, _, c in found]))
    area = sheet_area(name, hidden.sheet)
    for (text, r, c), row_hidden, column_hidden in zip(found, rows_hidden, columns_hidden):
        yield Passage(area, text, cell_spot(r, c, bool(row_hidden), bool(column_hidden)))


HEADER_ROWS = 20  # a column's header is its nearest text cell above, within the sheet's first rows
# Words of a header over phones (« Tél. portable », « N° de téléphone », « Contact »), by `text_key`.
_PHONE_HEADER_WORDS = frozenset(
    "tel tels telephone telephones portable portables mobile mobiles "  # noqa: SIM905
    "fixe gsm phone phones contact contacts".split()
)


def phone_typed_as_number(value: object, header: str | None) -> str | None:
    """A whole number of 9 digits under a header that says a phone, as the phone it was before its
    0 was lost (0612345678 typed in a sheet becomes 612345678): « 0612345678 ». None otherwise, so
    that the same 9 digits elsewhere (a SIREN) are left alone."""
    if header is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    if not 100_000_000 <= value <= 999_999_999:
        return None
    if not _PHONE_HEADER_WORDS.intersection(text_key(header).split()):
        return None
    return f"0{int(value)}"


def _comments(archive: zipfile.ZipFile, sheet: str, member: str, hidden: bool) -> Iterator[Passage]:
    """The sheet's notes (xl/comments*.xml) and threaded comments, with their authors."""
    folder, _, base = member.rpartition("/")
    rels = f"{folder}/_rels/{base}.rels"
    if rels not in archive.NameToInfo:
        return
    on = f"{sheet_area(sheet, hidden)}"
    for rel in etree.fromstring(archive.read(rels), _SAFE):
        kind = rel.get("Type", "")
        if not kind.endswith(("/comments", "/threadedComment")):
            continue
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else _joined(folder, target)
        if part not in archive.NameToInfo:
            continue
        data = read_part(archive, part)
        if data is None:
            yield Passage(f"commentaires de la {on}", "", kind="too_large")
            continue
        root = etree.fromstring(data, _SAFE)
        for author in root.iter("{*}author"):
            if author.text and author.text.strip():
                yield Passage(f"auteur d'un commentaire ({on})", author.text.strip(), kind="author")
        for comment in (*root.iter("{*}comment"), *root.iter("{*}threadedComment")):
            text = " ".join("".join(comment.itertext()).split())
            if text:
                yield Passage(f"commentaire de la cellule {comment.get('ref', '?')} ({on})", text)


def _comment_persons(archive: zipfile.ZipFile) -> Iterator[Passage]:
    """The people who wrote threaded comments (xl/persons/person.xml), named there once each."""
    for part in archive.namelist():
        if not (part.startswith("xl/persons/") and part.endswith(".xml")):
            continue
        data = read_part(archive, part)
        if data is None:
            yield Passage("auteurs des commentaires", "", kind="too_large")
            continue
        for person in etree.fromstring(data, _SAFE).iter("{*}person"):
            name = " ".join((person.get("displayName") or "").split())
            if name:
                yield Passage("auteur d'un commentaire", name, kind="author")


def _joined(folder: str, target: str) -> str:
    parts: list[str] = []
    for piece in f"{folder}/{target}".split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


# --- DOCX: properties, comments, headers and footers, and the text around the tables ---------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(path: Path) -> Iterator[Passage]:
    with zipfile.ZipFile(path) as archive:
        yield from property_passages(archive, *_OFFICE_PROPERTIES)
        for name in archive.namelist():
            if name.startswith(("word/header", "word/footer")):
                yield from _paragraphs(archive, name, "en-tête ou pied de page du document Word")
        if "word/comments.xml" in archive.NameToInfo:
            yield from _paragraphs(archive, "word/comments.xml", "commentaire du document Word")
        if "word/document.xml" in archive.NameToInfo:
            yield from _paragraphs(archive, "word/document.xml", None)


def _paragraphs(archive: zipfile.ZipFile, part: str, area: str | None) -> Iterator[Passage]:
    """Each paragraph of a part, streamed; in the body (`area` None), said inside or outside a table.
    A comment's author (w:author) is a name alone."""
    if archive.getinfo(part).file_size > MAX_PART_BYTES:
        yield Passage(area or "texte du document Word", "", kind="too_large")
        return
    depth = 0
    with archive.open(part) as stream:
        for event, element in etree.iterparse(
            stream, events=("start", "end"), resolve_entities=False, no_network=True
        ):
            tag = element.tag
            if tag == f"{_W}tbl":
                depth += 1 if event == "start" else -1
                if depth == 0:
                    element.clear()
            elif tag == f"{_W}comment" and event == "start" and element.get(f"{_W}author"):
                yield Passage(f"auteur d'un {area}", element.get(f"{_W}author", ""), kind="author")
            elif tag == f"{_W}p" and event == "end":
                text = "".join(t.text or "" for t in element.iter(f"{_W}t")).strip()
                if text:
                    where = area or (
                        "tableau du document Word"
                        if depth
                        else "texte du document Word hors du tableau"
                    )
                    yield Passage(where, text, read=area is None and depth > 0)
                if depth == 0:
                    element.clear()
