"""What a web page or a PDF holds beyond its table: the whole page's text around the tables, its
other tables, comments and author; every page of a PDF (not only `read.pages`), the annotations on
each page and their authors, and the PDF's Author.

A PDF page is read as text by PDFium, once, page by page: a scanned page (an image) has none, and is
not read again by OCR here.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from lxml import etree

from pipelines.read.inspection import Passage
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.csv import decode
from pipelines.read.readers.pdf import parse_pages

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
_AUTHOR_META = ("author", "dc.creator", "dcterms.creator", "article:author")


def html_passages(path: Path, options: ReadOptions) -> Iterator[Passage]:
    data = path.read_bytes()
    declared = _META_CHARSET.search(data[:4096])
    encoding = options.encoding or (declared.group(1).decode("ascii") if declared else None)
    text = decode(path, data, encoding)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    document = lxml.html.document_fromstring(text)
    for junk in document.xpath("//script | //style | //noscript"):
        junk.drop_tree()
    for meta in document.iter("meta"):
        if (meta.get("name") or meta.get("property") or "").lower() in _AUTHOR_META:
            content = " ".join((meta.get("content") or "").split())
            if content:
                yield Passage("propriétés de la page HTML : auteur", content, kind="author")
    for comment in document.iter(etree.Comment):
        if comment.text and comment.text.strip():
            yield Passage("commentaire invisible de la page HTML", comment.text.strip())
    yield from _page_text(document)


def _page_text(document: lxml.html.HtmlElement) -> Iterator[Passage]:
    """The page's text in three parts around its main table (the one with the most rows): above it,
    under it, and inside its tables (said as read: the reading reports what it finds in them)."""
    tables = [t for t in document.iter("table") if not any(True for _ in t.iterancestors("table"))]
    main = max(tables, key=lambda t: len(t.xpath(".//tr")), default=None)
    parts: dict[str, list[str]] = {"above": [], "below": [], "tables": []}
    where = "above"
    stack: list[tuple[etree._Element, bool]] = [(document, False)]
    while stack:  # depth first, in document order, without recursion
        node, closing = stack.pop()
        if closing:
            if node is main:
                where = "below"
            if node.tail and node.tail.strip():
                parts["tables" if _in_table(node) else where].append(node.tail.strip())
            continue
        if not isinstance(node.tag, str):
            if node.tail and node.tail.strip():
                parts["tables" if _in_table(node) else where].append(node.tail.strip())
            continue
        inside = node.tag == "table" or _in_table(node)
        if node.text and node.text.strip():
            parts["tables" if inside else where].append(node.text.strip())
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    places = {
        "above": "texte de la page HTML au-dessus du tableau",
        "below": "texte de la page HTML sous le tableau",
        "tables": "tableaux de la page HTML",
    }
    for key, texts in parts.items():
        if texts:
            yield Passage(
                places[key], (" | " if key == "tables" else " ").join(texts), read=key == "tables"
            )


def _in_table(node: etree._Element) -> bool:
    """Whether `node` sits inside a table (its tail, outside the node, is its parent's text)."""
    parent = node.getparent()
    return parent is not None and (
        parent.tag == "table" or any(True for _ in parent.iterancestors("table"))
    )


def pdf_passages(path: Path, options: ReadOptions) -> Iterator[Passage]:
    document = pdfium.PdfDocument(str(path))
    try:
        author = " ".join(str(document.get_metadata_dict().get("Author", "")).split())
        if author:
            yield Passage("propriétés du document PDF : auteur", author, kind="author")
        for key, what in (("Title", "titre"), ("Subject", "sujet"), ("Keywords", "mots-clés")):
            value = " ".join(str(document.get_metadata_dict().get(key, "")).split())
            if value:
                yield Passage(f"propriétés du document PDF : {what}", value)
        read = set(parse_pages(path, options.pages, len(document)))
        for n in range(1, len(document) + 1):
            page = document[n - 1]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            if text.strip():
                yield Passage(f"page {n} du PDF", " ".join(text.split()), read=n in read)
            yield from _annotations(page, n)
            page.close()
    finally:
        document.close()


def _annotations(page: pdfium.PdfPage, n: int) -> Iterator[Passage]:
    """The page's annotations (sticky notes, text boxes, comments on a highlight), which its text
    does not hold: their contents and their author (/T), through PDFium's own annotation API."""
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annotation:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annotation)
            # A pop-up only shows its parent's note: its text, if any, is the parent's again.
            if subtype == pdfium_c.FPDF_ANNOT_POPUP:
                continue
            # A form field's /T is its name (« Nom Prénom »), not who wrote it.
            widget = subtype == pdfium_c.FPDF_ANNOT_WIDGET
            author = "" if widget else _annotation_text(annotation, b"T")
            contents = _annotation_text(annotation, b"Contents")
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annotation)
        if author:
            yield Passage(f"auteur d'une annotation de la page {n} du PDF", author, kind="author")
        if contents:
            yield Passage(f"annotation de la page {n} du PDF", contents)


def _annotation_text(annotation: ctypes.c_void_p, key: bytes) -> str:
    """A string entry of an annotation's dictionary, as PDFium gives it: UTF-16LE, ended by a
    two-byte zero, its length in bytes asked first."""
    size = pdfium_c.FPDFAnnot_GetStringValue(annotation, key, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pointer = ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR))
    pdfium_c.FPDFAnnot_GetStringValue(annotation, key, pointer, size)
    return " ".join(buffer.raw[: size - 2].decode("utf-16-le", errors="replace").split())
