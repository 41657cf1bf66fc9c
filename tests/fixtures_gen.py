"""Generators of FICTITIOUS source files, in every format a region publishes in.

Nothing here is real: names say « fictif / fictive », SIRET numbers are invented (valid check
digit only), amounts are made up. Each generator writes the messy layouts real lists have
(title rows, blank lines, headers over two rows, repeated headers, totals, footnotes) and the
tests assert exactly what must come out of them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from stdnum import luhn

if TYPE_CHECKING:
    from pipelines.stage.staged import StagedSource

REGION = "53"  # Bretagne: départements 22, 29, 35, 56
YEAR = 2023
CAMPAIGN = "bre-2023-fictif"


@dataclass(frozen=True)
class Award:
    name: str
    title: str
    department: str  # as written in the file
    department_code: str  # what must come out
    amount: str  # as written
    amount_eur: float  # what must come out


# Five fictitious laureates, each department written a different way.
AWARDS = (
    Award(
        "Association fictive Les Petits Pas",
        "Accueil parents-enfants fictif",
        "29",
        "29",
        "12 500,00 €",
        12500.0,
    ),
    Award(
        "Crèche fictive Arc-en-ciel",
        "Éveil culturel des tout-petits",
        "Ille-et-Vilaine",
        "35",
        "8 000 €",
        8000.0,
    ),
    Award(
        "Association fictive Premiers Liens",
        "Soutien à la parentalité en périnatalité",
        "22 - Côtes-d'Armor",
        "22",
        "15 250,50 €",
        15250.5,
    ),
    Award(
        "Centre social fictif du Blavet",
        "Ateliers massage bébé",
        "Morbihan (56)",
        "56",
        "4.500 €",
        4500.0,
    ),
    Award("Association fictive Bulle d'Air", "Répit parental", "35", "35", "21 000 euros", 21000.0),
)
TOTAL_EUR = sum(a.amount_eur for a in AWARDS)  # 61 250,50
HEADERS = ("Porteur du projet", "Intitulé du projet", "Département", "Montant accordé")
COLUMNS = {
    "beneficiary_name": "Porteur du projet",
    "project_title": "Intitulé du projet",
    "department": "Département",
    "amount_eur": "Montant accordé",
}


def manifest(
    columns: dict | None = None,
    *,
    read: dict | None = None,
    defaults: dict | None = None,
    declared: dict | None = None,
    row_filter: dict | None = None,
    region: str = REGION,
    campaign: str = CAMPAIGN,
) -> str:
    """A manifest for a fictitious source (YAML text)."""
    data: dict = {
        "source": {
            "publisher": "ARS fictive (données de test)",
            "url": "https://example.invalid/fictif",
            "retrieved": "2026-11-22",
            "licence": "etalab-2.0",
        },
        "region": region,
        "year": YEAR,
        "campaign": {"id": campaign, "title": "Appel à projets fictif", "kind": "call"},
        "table": "awards",
        "columns": dict(COLUMNS if columns is None else columns),
        "defaults": {"funder": "ARS", **(defaults or {})},
    }
    if read:
        data["read"] = read
    if declared:
        data["declared"] = declared
    if row_filter:
        data["filter"] = row_filter
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def award_rows(awards=AWARDS) -> list[list[str]]:
    return [[a.name, a.title, a.department, a.amount] for a in awards]


# --- CSV -------------------------------------------------------------------------------------


def csv_text(delimiter: str = ";", *, total: str | None = "61 250,50 €", euro: bool = True) -> str:
    """Title line, blank line, header, five rows, a TOTAL line and a footnote (10 lines)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(["Liste fictive des lauréats 2023"])
    w.writerow([])
    w.writerow(HEADERS)
    for row in award_rows():
        w.writerow([c if euro else c.replace("€", "euros") for c in row])
    if total is not None:
        w.writerow(["TOTAL", "", "", total if euro else total.replace("€", "euros")])
    w.writerow(["* Données fictives générées pour les tests"])
    return out.getvalue()


def write_csv(path: Path, encoding: str = "utf-8", delimiter: str = ";", **kwargs) -> Path:
    text = csv_text(delimiter, euro=encoding not in ("latin-1", "iso-8859-1"), **kwargs)
    path.write_bytes(text.encode(encoding))
    return path


# --- XLSX ------------------------------------------------------------------------------------


def fake_siret(n: int) -> str:
    """A fictitious SIRET (SIREN 999…, valid check digits only)."""
    siren = f"99900{n:03d}"
    siren += luhn.calc_check_digit(siren)
    first13 = siren + "0001"  # establishment number; its last digit makes the whole SIRET valid
    return first13 + luhn.calc_check_digit(first13)


def write_xlsx(path: Path, *, wrong_total: bool = True, extra_sheet_first: bool = True) -> Path:
    """Two sheets ("Notice", then "Lauréats 2023"); the data sheet is messy on purpose:

    row 1  title merged A1:E1          row 2  subtitle (logo line)      row 3  blank
    row 4  header: Porteur (A4:A5), Intitulé (B4:B5), Département (C4:C5), Montant accordé (D4:E4)
    row 5  ARS | DREETS under the merged "Montant accordé"
    rows 6-7 Finistère, row 8 "Sous-total Finistère" (correct), rows 9-11 others,
    row 12 TOTAL (wrong on purpose unless wrong_total=False), row 13 blank, row 14 footnote.
    Amounts are numeric cells; one carries spreadsheet noise (12500.500000001).
    """
    import openpyxl

    wb = openpyxl.Workbook()
    notice = wb.active
    notice.title = "Notice"
    notice["A1"] = "Document fictif : voir la feuille Lauréats 2023"
    ws = wb.create_sheet("Lauréats 2023")
    if not extra_sheet_first:
        wb.remove(notice)
    ws["A1"] = "Appel à projets fictif « 1000 premiers jours » – Bretagne 2023"
    ws.merge_cells("A1:E1")
    ws["A2"] = "ARS fictive – document généré pour les tests"
    ws["A4"], ws["B4"], ws["C4"], ws["D4"] = (
        "Porteur du projet",
        "Intitulé du projet",
        "Département",
        "Montant accordé",
    )
    for rng in ("A4:A5", "B4:B5", "C4:C5", "D4:E4"):
        ws.merge_cells(rng)
    ws["D5"], ws["E5"] = "ARS", "DREETS"
    rows = [
        (
            "Association fictive Les Petits Pas",
            "Accueil parents-enfants fictif",
            29,
            12500.500000001,
            2000,
        ),
        ("Association fictive du Léon", "Café des parents", "Finistère", 3000, None),
        ("Sous-total Finistère", None, None, 15500.5, 2000),
        (
            "Crèche fictive Arc-en-ciel",
            "Éveil culturel des tout-petits",
            "35 - Ille-et-Vilaine",
            8000,
            1500.25,
        ),
        (
            "Association fictive Premiers Liens",
            "Soutien à la parentalité",
            "Côtes-d'Armor (22)",
            None,
            4000,
        ),
        ("Centre social fictif du Blavet", "Ateliers massage bébé", 56, 4500, None),
        ("TOTAL", None, None, 99999 if wrong_total else 28000.5, 7500.25),
    ]
    for i, row in enumerate(rows, start=6):
        for j, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=i, column=j, value=value)
    ws["A14"] = "(1) Montants fictifs, en euros."
    wb.save(path)
    return path


XLSX_FUNDER_LINES = [  # (source_row, funder, amount, department) expected from write_xlsx
    (6, "ARS", 12500.5, "29"),
    (6, "DREETS", 2000.0, "29"),
    (7, "ARS", 3000.0, "29"),
    (9, "ARS", 8000.0, "35"),
    (9, "DREETS", 1500.25, "35"),
    (10, "DREETS", 4000.0, "22"),
    (11, "ARS", 4500.0, "56"),
]


def xlsx_manifest(**kwargs) -> str:
    return manifest(
        {
            "beneficiary_name": "Porteur du projet",
            "project_title": "Intitulé du projet",
            "department": "Département",
            "amount_eur_by_funder": {
                "ARS": "Montant accordé ARS",
                "DREETS": "Montant accordé DREETS",
            },
        },
        **kwargs,
    )


def write_encrypted_xlsx(path: Path, password: str = "fictif") -> Path:
    """A real password-protected workbook (Agile encryption, as Excel writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = path.with_name(path.stem + "-clair.xlsx")
    write_xlsx(plain, extra_sheet_first=False)
    with plain.open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt(password, out)
    plain.unlink()
    return path


# --- ODS -------------------------------------------------------------------------------------


def write_ods(path: Path) -> Path:
    """ODS as LibreOffice stores it: repeated blank rows and columns, a merged header cell.

    row 1 title, rows 2-3 blank (stored as one row repeated twice), row 4 header with
    "Montant accordé" spanning two columns over row 5 "ARS" | "DREETS", rows 6-8 data (two
    identical rows stored once with number-rows-repeated=2), row 9 TOTAL, then 1000 blank rows.
    """
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Lauréats")
    table.addElement(TableColumn(numbercolumnsrepeated=6))

    def text(value: str, **attrs) -> TableCell:
        cell = TableCell(valuetype="string", **attrs)
        cell.addElement(P(text=value))
        return cell

    def number(value: float) -> TableCell:
        cell = TableCell(valuetype="float", value=str(value))
        cell.addElement(P(text=f"{value:,.2f}".replace(",", " ").replace(".", ",")))
        return cell

    def row(*cells, repeat: int = 1) -> TableRow:
        r = TableRow(numberrowsrepeated=repeat) if repeat > 1 else TableRow()
        for c in cells:
            r.addElement(c)
        r.addElement(
            TableCell(numbercolumnsrepeated=1020)
        )  # LibreOffice pads rows to the sheet width
        return r

    table.addElement(row(text("Lauréats fictifs 2023 – Bretagne")))
    table.addElement(row(repeat=2))
    table.addElement(
        row(
            text("Porteur du projet", numberrowsspanned=2),
            text("Département", numberrowsspanned=2),
            text("Montant accordé", numbercolumnsspanned=2),
            CoveredTableCell(),
        )
    )
    table.addElement(row(CoveredTableCell(numbercolumnsrepeated=2), text("ARS"), text("DREETS")))
    table.addElement(
        row(text("Association fictive Les Petits Pas"), text("29"), number(12500.5), number(1000))
    )
    table.addElement(
        row(
            text("Association fictive Jumelle"),
            text("Finistère"),
            number(700),
            TableCell(),
            repeat=2,
        )
    )
    table.addElement(row(text("TOTAL"), TableCell(), number(13900.5), number(1000)))
    table.addElement(row(repeat=1000))
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def ods_manifest() -> str:
    return manifest(
        {
            "beneficiary_name": "Porteur du projet",
            "department": "Département",
            "amount_eur_by_funder": {
                "ARS": "Montant accordé ARS",
                "DREETS": "Montant accordé DREETS",
            },
        },
        read={"header_rows": 2},
    )


# --- PDF -------------------------------------------------------------------------------------


def pdf_awards(n: int) -> list[Award]:
    """n fictitious laureates; every third has a title long enough to wrap over two lines."""
    departments = [("29", "29"), ("Ille-et-Vilaine", "35"), ("22", "22"), ("Morbihan", "56")]
    out = []
    for i in range(1, n + 1):
        dep, code = departments[i % 4]
        title = (
            f"Projet fictif n°{i} d'accompagnement des familles pendant les mille premiers jours"
            if i % 3 == 0
            else f"Projet fictif n°{i}"
        )
        euros = 1000 + 250 * i
        out.append(
            Award(
                f"Association fictive n°{i}",
                title,
                dep,
                code,
                f"{euros:,}".replace(",", " ") + ",00 €",
                float(euros),
            )
        )
    return out


def write_pdf(path: Path, awards: list[Award], *, ruled: bool, note: bool = True) -> Path:
    """A title, the table (header repeated on every page, long titles wrapped), a footnote."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=9, leading=11)
    data = [list(HEADERS)] + [
        [a.name, Paragraph(a.title, cell), a.department, a.amount] for a in awards
    ]
    table = Table(data, repeatRows=1, colWidths=[140, 200, 80, 85])
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("ALIGN", (3, 1), (3, -1), "RIGHT"),
    ]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    table.setStyle(TableStyle(style))
    story = [
        Paragraph("Lauréats fictifs – appel à projets 2023", styles["Title"]),
        Spacer(1, 12),
        table,
    ]
    if note:
        story += [
            Spacer(1, 18),
            Paragraph(
                "* Liste fictive générée pour les tests : aucun de ces "
                "porteurs n'existe, les montants sont inventés.",
                styles["BodyText"],
            ),
        ]
    SimpleDocTemplate(str(path), pagesize=A4, title="Document fictif").build(story)
    return path


def write_pdf_without_table(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    text = (
        "Communiqué fictif : l'agence régionale de santé fictive annonce les lauréats de son appel "
        "à projets. La liste sera publiée ultérieurement."
    )
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph("Communiqué fictif", styles["Title"]), Paragraph(text, styles["BodyText"])]
    )
    return path


# --- HTML ------------------------------------------------------------------------------------


def html_page(encoding: str = "utf-8") -> str:
    """A page with a navigation table first, then the list: header over two rows (colspan),
    a department cell spanning two projects (rowspan), a <br> inside a name."""
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="{encoding}"><title>Lauréats fictifs</title>
<style>td {{ padding: 2px }}</style><script>var fictif = "<table>";</script></head>
<body>
<table class="menu"><tr><td>Accueil</td><td>Actualités</td><td>Contact</td></tr></table>
<h1>Lauréats fictifs de l'appel à projets 2023</h1>
<table class="liste">
  <caption>Liste fictive</caption>
  <thead>
    <tr><th rowspan="2">Porteur du projet</th><th rowspan="2">Département</th>
        <th colspan="2">Montant accordé</th></tr>
    <tr><th>ARS</th><th>DREETS</th></tr>
  </thead>
  <tbody>
    <tr><td>Association fictive<br>Les Petits Pas</td><td rowspan="2">Finistère</td>
        <td>12 500,00 €</td><td>2 000 €</td></tr>
    <tr><td>Association fictive du Léon</td><td>3 000 €</td><td></td></tr>
    <tr><td>Crèche fictive Arc-en-ciel</td><td>35</td><td>8 000 €</td><td>1 500,25 €</td></tr>
    <tr><td>Total</td><td></td><td>23 500,00 €</td><td>3 500,25 €</td></tr>
  </tbody>
</table>
<p>* Données fictives.</p>
</body></html>
"""


def html_manifest(**read) -> str:
    return manifest(
        {
            "beneficiary_name": "Porteur du projet",
            "department": "Département",
            "amount_eur_by_funder": {
                "ARS": "Montant accordé ARS",
                "DREETS": "Montant accordé DREETS",
            },
        },
        read={"header_rows": 2, **read},
    )


# --- démarches-simplifiées export ------------------------------------------------------------

DS_HEADERS = (
    "ID",
    "Email",
    "Civilité",
    "Nom",
    "Prénom",
    "État du dossier",
    "Dernière mise à jour le",
    "Déposé le",
    "Passé en instruction le",
    "Traité le",
    "Motivation de la décision",
    "Instructeurs",
    "Nom de la structure porteuse",
    "SIRET",
    "Téléphone du porteur",
    "Adresse électronique du référent",
    "Titre du projet",
    "Département",
    "Montant demandé",
    "Montant accordé",
)
DS_STATES = (
    "accepté",
    "refusé",
    "classé sans suite",
    "en instruction",
    "accepté",
    "accepté",
    "refusé",
    "en construction",
    "accepté",
)


def ds_export_rows() -> list[list[str]]:
    """One row per dossier, as démarches-simplifiées exports them (fictitious applicants)."""
    rows = []
    departments = ["29", "35", "Côtes-d'Armor", "56"]
    for i, state in enumerate(DS_STATES, start=1):
        accepted = state == "accepté"
        siret = (
            fake_siret(i) if i != 6 else "99900006000010"
        )  # dossier 6: a SIRET with a wrong check digit
        rows.append(
            [
                str(10000 + i),
                f"porteur{i}@exemple-fictif.test",
                "Mme" if i % 2 else "M.",
                f"Nomfictif{i}",
                f"Prénomfictif{i}",
                state,
                "2023-06-01 10:00:00",
                "2023-03-15 09:30:00",
                "2023-04-01 14:00:00" if state != "en construction" else "",
                "2023-05-20 16:45:00"
                if state in ("accepté", "refusé", "classé sans suite")
                else "",
                "Projet conforme au cahier des charges" if accepted else "",
                "instructeur@ars-fictive.test",
                f"Association fictive DS {i}",
                siret,
                f"06 12 34 56 {i:02d}",
                f"referent{i}@exemple-fictif.test",
                f"Projet fictif déposé n°{i}",
                departments[i % 4],
                f"{5000 + 1000 * i} €",
                f"{4000 + 1000 * i} €" if accepted else "",
            ]
        )
    return rows


def write_ds_export(path: Path) -> Path:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(DS_HEADERS)
    w.writerows(ds_export_rows())
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def ds_manifest() -> str:
    return manifest(
        {
            "beneficiary_name": "Nom de la structure porteuse",
            "siret": "SIRET",
            "project_title": "Titre du projet",
            "department": "Département",
            "amount_eur": "Montant accordé",
        },
        row_filter={"column": "État du dossier", "keep": ["accepté"]},
    )


# --- staging helpers -------------------------------------------------------------------------


def file_bytes(writer, suffix: str, *args, **kwargs) -> bytes:
    """What a generator writes, as bytes (to hand to conftest.add_source)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fictif{suffix}"
        writer(path, *args, **kwargs)
        return path.read_bytes()


def kinds(staged: StagedSource) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in staged.skipped:
        out[s.kind] = out.get(s.kind, 0) + 1
    return out


def counts(staged: StagedSource) -> tuple[int, int, int, int]:
    s = staged.source
    assert s["rows_read"] == s["rows_accepted"] + s["rows_rejected"] + s["rows_skipped"], (
        "a row was lost"
    )
    return s["rows_read"], s["rows_accepted"], s["rows_rejected"], s["rows_skipped"]


def write_pdf_cell_by_cell(path: Path) -> Path:
    """A ruled table drawn as office suites export it: each cell's borders as separate short lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rows = [list(HEADERS)] + award_rows()
    widths, height = [170, 190, 110, 80], 20
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(40, 800, "Lauréats fictifs (bordures cellule par cellule)")
    c.setFont("Helvetica", 8)
    y = 770
    for row in rows:
        x = 40
        for text, w in zip(row, widths):
            for x0, y0, x1, y1 in (
                (x, y, x + w, y),
                (x, y - height, x + w, y - height),
                (x, y, x, y - height),
                (x + w, y, x + w, y - height),
            ):
                c.line(x0, y0, x1, y1)
            c.drawString(x + 3, y - 13, text)
            x += w
        y -= height
    c.save()
    return path


def write_pdf_with_merged_cell(path: Path) -> Path:
    """A ruled table whose last line merges three cells ("TOTAL" across the first three columns)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    data = [list(HEADERS)] + award_rows() + [["TOTAL", "", "", "61 250,50 €"]]
    table = Table(data, colWidths=[150, 180, 110, 80])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("SPAN", (0, -1), (2, -1)),
            ]
        )
    )
    SimpleDocTemplate(str(path), pagesize=A4).build([table])
    return path
