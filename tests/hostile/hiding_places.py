"""Fictitious lists hiding personal data outside their table, where a document inspector looks:
a hidden sheet, another sheet, a hidden column, a cell comment, an ODS annotation, the document's
author, a footer under an HTML table, a PDF page outside `read.pages`. Each writer takes the
personal data to hide (several spellings per place) and writes a clean list around it; with
`secret=None` the same file hides nothing. Every name, address and number is fictitious.
"""

from __future__ import annotations

from pathlib import Path

from tests.fictif import EN_TETE_FICTIF, LAUREATS_FICTIFS, manifest_fictif

AMOUNTS = [12500, 8000, 1234.5, 20000]


def manifest(**read) -> str:
    return manifest_fictif(read=read or None)


def _table(ws) -> None:
    ws.append(["Lauréats fictifs 2024"])
    ws.append(EN_TETE_FICTIF)
    for cells, amount in zip(LAUREATS_FICTIFS, AMOUNTS):
        ws.append([cells[0], cells[1], cells[2], amount, cells[4] or None])


def xlsx(
    path: Path,
    secret: str | None,
    where: str,
    author: str = "ARS Normandie",
    property_name: str = "Contact",
    number: tuple[str, float] | None = None,
) -> None:
    """`where`: « hidden_sheet » (« Contacts », B4), « sheet » (« Notes », C2), « sheet_hidden_row »
    (C2 of « Notes », its row and column hidden), « hidden_column »
    (G3 of the read sheet), « comment » (C5 of the read sheet), « author » (the document's creator),
    « custom_property » (docProps/custom.xml, named `property_name`; a fictitious service without
    `secret`), « number » (in the hidden sheet « Contacts », `number`: a header in B2, a number
    stored as such in B4)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.packaging.custom import StringProperty

    wb = Workbook()
    ws = wb.active
    ws.title = "Lauréats"
    _table(ws)
    wb.properties.creator = author
    wb.properties.lastModifiedBy = "ARS Normandie"
    if secret is not None and where in ("hidden_sheet", "sheet", "sheet_hidden_row"):
        other = wb.create_sheet("Contacts" if where == "hidden_sheet" else "Notes")
        other["A1"] = "Structure (fictive)"
        cell = "B4" if where == "hidden_sheet" else "C2"
        other[cell] = secret
        if where == "hidden_sheet":
            other.sheet_state = "hidden"
        if where == "sheet_hidden_row":
            other.row_dimensions[2].hidden = True
            other.column_dimensions["C"].hidden = True
    if secret is not None and where == "hidden_column":
        ws["G3"] = secret
        ws.column_dimensions["G"].hidden = True
    if secret is not None and where == "comment":
        ws["C5"].comment = Comment(f"à rappeler : {secret}", "ARS Normandie")
    if where == "author" and secret is not None:
        wb.properties.creator = secret
    if where == "number" and number is not None:
        contacts = wb.create_sheet("Contacts")
        contacts.sheet_state = "hidden"
        contacts["A1"] = "Contacts (fictifs)"
        contacts["A2"], contacts["B2"] = "Structure", number[0]
        contacts["A4"], contacts["B4"] = "Association Fictive des Jeunes Parents", number[1]
    if where == "custom_property":
        value = secret if secret is not None else "Service fictif de la petite enfance"
        wb.custom_doc_props.append(StringProperty(name=property_name, value=value))
    wb.save(path)


def ods(
    path: Path,
    secret: str | None,
    where: str,
    author: str = "ARS Normandie",
    property_name: str = "Contact",
    number: tuple[str, float] | None = None,
) -> None:
    """`where`: « hidden_sheet » (« Contacts », B4), « annotation » (C5), « author » (meta.xml),
    « custom_property » (a meta:user-defined named `property_name`), « number » (as in `xlsx`)."""
    from odf.dc import Creator
    from odf.meta import InitialCreator, UserDefined
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    doc.meta.addElement(
        InitialCreator(text=secret if where == "author" and secret is not None else author)
    )
    if where == "custom_property":
        value = secret if secret is not None else "Service fictif de la petite enfance"
        doc.meta.addElement(UserDefined(name=property_name, valuetype="string", text=value))
    hidden_style = Style(name="masquee", family="table")
    hidden_style.addElement(TableProperties(display=False))
    doc.automaticstyles.addElement(hidden_style)

    def row(*values: str, note: str | None = None) -> TableRow:
        r = TableRow()
        for i, value in enumerate(values):
            cell = TableCell(valuetype="string")
            if note is not None and i == 2:
                annotation = Annotation()
                annotation.addElement(Creator(text="ARS Normandie"))
                annotation.addElement(P(text=note))
                cell.addElement(annotation)
            cell.addElement(P(text=value))
            r.addElement(cell)
        return r

    table = Table(name="Lauréats")
    table.addElement(row("Lauréats fictifs 2024"))
    table.addElement(row(*EN_TETE_FICTIF))
    for i, cells in enumerate(LAUREATS_FICTIFS, start=3):
        note = f"à rappeler : {secret}" if where == "annotation" and secret and i == 5 else None
        table.addElement(row(*cells[:4], note=note))
    doc.spreadsheet.addElement(table)
    if secret is not None and where == "hidden_sheet":
        contacts = Table(name="Contacts", stylename=hidden_style)
        contacts.addElement(row("Structure (fictive)"))
        contacts.addElement(row())
        contacts.addElement(row())
        contacts.addElement(row("Association Fictive des Jeunes Parents", secret))
        doc.spreadsheet.addElement(contacts)
    if where == "number" and number is not None:
        contacts = Table(name="Contacts", stylename=hidden_style)
        contacts.addElement(row("Contacts (fictifs)"))
        contacts.addElement(row("Structure", number[0]))
        contacts.addElement(row())
        numbers = row("Association Fictive des Jeunes Parents")
        cell = TableCell(valuetype="float", value=number[1])
        cell.addElement(P(text=str(number[1])))
        numbers.addElement(cell)
        contacts.addElement(numbers)
        doc.spreadsheet.addElement(contacts)
    doc.save(str(path))


def html(path: Path, secret: str | None, where: str = "footer") -> None:
    """`where`: « footer » (a paragraph under the table), « author » (<meta name="author">),
    « comment » (an HTML comment), « cell » (the table's Observations, which the reading searches)."""
    laureates = [list(c) for c in LAUREATS_FICTIFS]
    if where == "cell" and secret:
        laureates[0][4] = secret
    rows = "".join(
        f"<tr><td>{c[0]}</td><td>{c[1]}</td><td>{c[2]}</td><td>{c[3]}</td><td>{c[4]}</td></tr>"
        for c in laureates
    )
    head = "".join(f"<th>{h}</th>" for h in EN_TETE_FICTIF)
    meta = f'<meta name="author" content="{secret}">' if where == "author" and secret else ""
    footer = f"<p>Contact (fictif) : {secret}</p>" if where == "footer" and secret else ""
    comment = f"<!-- contact : {secret} -->" if where == "comment" and secret else ""
    path.write_text(
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">{meta}'
        "<title>Lauréats fictifs</title></head><body><h1>Lauréats fictifs 2024</h1>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{comment}"
        f"<p>Données fictives.</p>{footer}</body></html>",
        encoding="utf-8",
    )


def pdf(
    path: Path, secret: str | None, where: str = "page", annotator: str = "ARS Normandie"
) -> None:
    """The list on page 1; `where`: « page » (the data on page 3, outside read.pages: 1),
    « author » (the PDF's Author), « annotation_text » (a sticky note on page 2, by `annotator`),
    « annotation_free_text » (a text box added on page 2), « annotation_form_field » (an empty form
    field named « Nom Prénom » on page 2)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase.pdfdoc import PDFString
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    data = [EN_TETE_FICTIF[:4]] + [c[:4] for c in LAUREATS_FICTIFS]
    table = Table(data, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [Paragraph("Lauréats fictifs 2024", styles["Title"]), table, PageBreak()]
    story += [Paragraph("Annexe fictive : méthode de sélection.", styles["BodyText"]), PageBreak()]
    text = f"Contacts (fictifs) : {secret}" if where == "page" and secret else "Fin du document."
    story.append(Paragraph(text, styles["BodyText"]))
    author = secret if where == "author" and secret else "ARS Normandie"
    note = f"à rappeler : {secret}" if secret else "à relire (fictif)"

    def annotate(canvas, _document) -> None:
        if canvas.getPageNumber() != 2 or not where.startswith("annotation"):
            return
        if where == "annotation_form_field":  # its /T is the field's name, not an author
            canvas.acroForm.textfield(name="Nom Prénom", x=72, y=600, width=200, height=20)
        elif where == "annotation_text":
            canvas.textAnnotation(note, Rect=(72, 600, 144, 640), T=PDFString(annotator))
        else:
            canvas.freeTextAnnotation(note, "/Helv 10 Tf 0 g", Rect=(72, 600, 300, 640))

    SimpleDocTemplate(str(path), pagesize=A4, author=author, title="Document fictif").build(
        story, onLaterPages=annotate
    )


def docx(
    path: Path, secret: str | None, where: str = "text", property_name: str = "Contact"
) -> None:
    """The list as a Word table; `where`: « text » (a paragraph under the table), « footer » (the
    page footer), « author » (the document's author), « custom_property » (docProps/custom.xml)."""
    from docx import Document

    document = Document()
    document.core_properties.author = secret if where == "author" and secret else "ARS Normandie"
    document.core_properties.last_modified_by = "ARS Normandie"
    document.add_paragraph("Lauréats fictifs 2024")
    table = document.add_table(rows=1, cols=len(EN_TETE_FICTIF))
    for cell, header in zip(table.rows[0].cells, EN_TETE_FICTIF):
        cell.text = header
    for values in LAUREATS_FICTIFS:
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value
    text = f"Contact (fictif) : {secret}" if where == "text" and secret else "Données fictives."
    document.add_paragraph(text)
    footer = f"Suivi (fictif) : {secret}" if where == "footer" and secret else "Page fictive"
    document.sections[0].footer.paragraphs[0].text = footer
    document.save(str(path))
    if where == "custom_property":
        value = secret if secret is not None else "Service fictif de la petite enfance"
        _custom_xml(path, property_name, value)


def _custom_xml(path: Path, name: str, value: str) -> None:
    """A custom property as Word stores it (python-docx writes none): docProps/custom.xml, its
    content type and its relationship from the package."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    ns = "http://schemas.openxmlformats.org/officeDocument/2006"
    custom = (
        f'<Properties xmlns="{ns}/custom-properties" xmlns:vt="{ns}/docPropsVTypes">'
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property></Properties>"
    )
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["docProps/custom.xml"] = custom.encode("utf-8")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/docProps/custom.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
    )
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdFictif" Type="{ns}/relationships/custom-properties" '
        'Target="docProps/custom.xml"/></Relationships>'.encode(),
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
