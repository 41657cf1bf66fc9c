"""FICTITIOUS lists with what lies around the table: a second table under the list, a line cut in
two, each written as CSV, XLSX and PDF. Every name and amount here is invented (« fictif »).

A shape is a list of lines under the header; `BLANK` is an empty line (a gap between two tables
in a PDF).
"""

from __future__ import annotations

from pathlib import Path

Line = list[str | None]

BLANK: Line = []
HEADER = ["Structure porteuse", "Intitulé du projet", "Département", "Montant accordé"]
LIST: list[Line] = [
    ["Association Fictive des Jeunes Parents", "Café des parents fictif", "14", "12 500,00 €"],
    ["Crèche Imaginaire du Bocage", "Accueil passerelle fictif", "50", "8 000,00 €"],
    ["Centre Social Inventé", "Ateliers d'éveil fictifs", "76", "1 234,50 €"],
    ["Maison Fictive de la Parentalité", "Visites à domicile fictives", "61", "20 000,00 €"],
    ["Relais Imaginaire de l'Orne", "Halte-garderie itinérante fictive", "61", "6 000,00 €"],
]
NAMES = [line[0] for line in LIST]
TOTAL = 47734.5
TOTAL_LINE: Line = ["TOTAL", None, None, "47 734,50 €"]

# What a publisher puts under its list, after a blank line.
FUNDER_SUMMARY: list[Line] = [
    BLANK,
    ["Financeur", "Montant", None, None],
    ["ARS", "30 000,00 €", None, None],
    ["DREETS", "17 734,50 €", None, None],
    ["Total", "47 734,50 €", None, None],
]
RECAP_BY_FUNDER: list[Line] = [  # no header, amounts under the list's amounts
    BLANK,
    ["ARS", None, None, "30 000,00 €"],
    ["DREETS", None, None, "17 734,50 €"],
]
RECAP_BY_PLACE: list[Line] = [  # no header, no funder: only the sum tells
    BLANK,
    ["Calvados et Manche", None, None, "20 500,00 €"],
    ["Seine-Maritime et Orne", None, None, "27 234,50 €"],
]
SECOND_TABLES = {
    "synthese-financeurs": FUNDER_SUMMARY,
    "recapitulatif-financeurs": RECAP_BY_FUNDER,
    "recapitulatif-territoires": RECAP_BY_PLACE,
}


def clean() -> list[Line]:
    return [list(line) for line in LIST] + [TOTAL_LINE]


def with_second_table(kind: str) -> list[Line]:
    return clean() + [list(x) for x in SECOND_TABLES[kind]]


def name_cut_in_two() -> tuple[list[Line], int]:
    """A name wrapped in its cell, exported as two lines: the second holds the name's end only.
    Returns the lines and the index (under the header) of the cut line."""
    lines = clean()
    lines[1] = ["Crèche Imaginaire", "Accueil passerelle fictif", "50", "8 000,00 €"]
    lines.insert(2, ["du Bocage", None, None, None])
    return lines, 2


def title_cut_in_two() -> tuple[list[Line], int]:
    """A title cut by a page break: its end on a line of its own, no name, no amount."""
    lines = clean()
    lines[3] = ["Maison Fictive de la Parentalité", "Visites à domicile", "61", "20 000,00 €"]
    lines.insert(4, [None, "fictives (suite)", None, None])
    return lines, 4


def csv_bytes(lines: list[Line]) -> bytes:
    """A cp1252 « ; » export: a title, a blank line, the header, the lines."""
    rows = [["Lauréats fictifs — appel à projets 2024"], [], HEADER, *lines]
    width = len(HEADER)
    text = "\r\n".join(
        ";".join((c or "") for c in row + [None] * (width - len(row))) for row in rows
    )
    return (text + "\r\n").encode("cp1252")


def write_xlsx(path: Path, lines: list[Line]) -> Path:
    """The same as a sheet: amounts as numbers, empty cells left empty."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Lauréats"
    ws.append(["Lauréats fictifs — appel à projets 2024"])
    ws.append([])
    ws.append(HEADER)
    for line in lines:
        ws.append([_number(c) for c in line])
    wb.save(path)
    return path


def _number(cell: str | None) -> str | float | None:
    if cell is None or "€" not in cell:
        return cell
    return float(cell.replace("€", "").replace("\u202f", "").replace(" ", "").replace(",", "."))


def write_pdf(path: Path, lines: list[Line]) -> Path:
    """A ruled table per block of lines, a blank line being a gap between two tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    blocks: list[list[Line]] = [[HEADER]]
    for line in lines:
        if line == BLANK:
            blocks.append([])
        else:
            blocks[-1].append(line)
    story = [Paragraph("Lauréats fictifs — appel à projets 2024", styles["Title"]), Spacer(1, 12)]
    for block in blocks:
        table = Table([[c or "" for c in line] for line in block], colWidths=[170, 170, 60, 90])
        table.setStyle(
            TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTSIZE", (0, 0), (-1, -1), 8)]
            )
        )
        story += [table, Spacer(1, 24)]
    SimpleDocTemplate(str(path), pagesize=A4, title="Document fictif").build(story)
    return path


def write(path: Path, lines: list[Line]) -> Path:
    """The lines in the format the path's extension says."""
    if path.suffix == ".csv":
        path.write_bytes(csv_bytes(lines))
        return path
    return write_xlsx(path, lines) if path.suffix == ".xlsx" else write_pdf(path, lines)
