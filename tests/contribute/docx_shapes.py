"""FICTITIOUS Word documents (.docx, written with python-docx) in the shapes regions publish.

Every name, title and amount here is invented (« fictif », « fictive », « imaginaire »). Each
generator writes the document and returns nothing; the constants beside it say what the package
must hold afterwards: (beneficiary, project title, département code, funder, amount) per award line,
in file order, and the TOTAL the document writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.contribute.shapes import Line

HEADER = ["Porteur du projet", "Intitulé du projet", "Département", "Montant accordé"]
AWARDS = [
    ("Association fictive Les Petits Pas", "Café des parents fictif", "Haute-Garonne", "12 000 €"),
    ("Crèche imaginaire du Capitole", "Éveil musical fictif", "31", "8 500 €"),
    ("Centre social fictif de l'Aude", "Ateliers fictifs parents-bébés", "Aude", "6 000,50 €"),
    ("Maison fictive des Familles", "Soutien fictif à la parentalité", "Hérault (34)", "4 000 €"),
]
LINES: list[Line] = [
    ("Association fictive Les Petits Pas", "Café des parents fictif", "31", "NC", 12000.0),
    ("Crèche imaginaire du Capitole", "Éveil musical fictif", "31", "NC", 8500.0),
    ("Centre social fictif de l'Aude", "Ateliers fictifs parents-bébés", "11", "NC", 6000.5),
    ("Maison fictive des Familles", "Soutien fictif à la parentalité", "34", "NC", 4000.0),
]
TOTAL = 30500.5


def _document() -> Any:
    from docx import Document

    document = Document()
    document.core_properties.title = "Lauréats fictifs"
    return document


def _table(document: Any, rows: list[list[str]]) -> Any:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for values in rows:
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value
    return table


def title_then_table(path: Path) -> Path:
    """A title and a paragraph, then the table; a name typed on two paragraphs of its cell."""
    document = _document()
    document.add_heading("Appel à projets « 1000 premiers jours » 2024 (FICTIF)", level=1)
    document.add_paragraph("L'ARS fictive a retenu les projets suivants.")
    table = _table(document, [HEADER, *[list(a) for a in AWARDS], ["TOTAL", "", "", "30 500,50 €"]])
    name = table.rows[1].cells[0]
    name.text = "Association fictive"
    name.add_paragraph("Les Petits Pas")
    document.add_paragraph("Document fictif, généré pour les tests.")
    document.save(str(path))
    return path


SUMMARY = [
    ["Financeur", "Nombre de projets", "Montant"],
    ["ARS", "3", "26 500,50 €"],
    ["DREETS", "1", "4 000 €"],
    ["Total", "4", "30 500,50 €"],
]
FUNDED_HEADER = [
    "Porteur du projet",
    "Intitulé de l'action",
    "Département",
    "Financeur",
    "Montant accordé",
]
FUNDERS = ["ARS", "ARS", "ARS", "DREETS"]
FUNDED_LINES: list[Line] = [
    (name, title, code, funder, amount)
    for (name, title, code, _, amount), funder in zip(LINES, FUNDERS)
]


def summary_then_laureates(path: Path) -> Path:
    """A summary by funder first, then the laureates: the header says which table is the list."""
    document = _document()
    document.add_heading("Lauréats fictifs 2024", level=1)
    document.add_paragraph("Synthèse par financeur")
    _table(document, SUMMARY)
    document.add_paragraph("Liste des lauréats")
    rows = [[n, t, d, f, a] for (n, t, d, a), f in zip(AWARDS, FUNDERS)]
    _table(document, [FUNDED_HEADER, *rows])
    document.save(str(path))
    return path


# A header over two rows: « Montant accordé (€) » merged across « ARS » and « DREETS », the other
# headers merged down over both rows; each département merged down over its laureates.
MERGED_AWARDS = [
    ("Association fictive Les Petits Pas", "Café des parents fictif", "Haute-Garonne", "9 000", ""),
    ("Crèche imaginaire du Capitole", "Éveil musical fictif", "Haute-Garonne", "", "7 500,50"),
    ("Relais fictif Petite Enfance", "Formation fictive", "Haute-Garonne", "4 000", "2 000"),
    ("Centre social fictif de l'Aude", "Ateliers fictifs parents-bébés", "Aude", "3 000", ""),
]
MERGED_LINES: list[Line] = [
    ("Association fictive Les Petits Pas", "Café des parents fictif", "31", "ARS", 9000.0),
    ("Crèche imaginaire du Capitole", "Éveil musical fictif", "31", "DREETS", 7500.5),
    ("Relais fictif Petite Enfance", "Formation fictive", "31", "ARS", 4000.0),
    ("Relais fictif Petite Enfance", "Formation fictive", "31", "DREETS", 2000.0),
    ("Centre social fictif de l'Aude", "Ateliers fictifs parents-bébés", "11", "ARS", 3000.0),
]
MERGED_TOTAL = 25500.5


def merged_cells(path: Path) -> Path:
    document = _document()
    document.add_heading("Lauréats fictifs par département", level=1)
    rows = [
        ["Porteur du projet", "Intitulé du projet", "Département", "Montant accordé (€)", ""],
        ["", "", "", "ARS", "DREETS"],
        *[list(a) for a in MERGED_AWARDS],
        ["TOTAL", "", "", "16 000", "9 500,50"],
    ]
    table = _table(document, rows)
    for column in range(3):  # merged down over the header's two rows
        table.cell(0, column).merge(table.cell(1, column))
    table.cell(0, 3).merge(table.cell(0, 4))  # merged across the two amounts
    for first, last in ((2, 4), (5, 5)):  # one département cell over its laureates
        for row in range(first + 1, last + 1):
            table.cell(row, 2).text = ""
        table.cell(first, 2).merge(table.cell(last, 2))
    document.save(str(path))
    return path


def split_by_a_page_break(path: Path) -> Path:
    """The list in two tables, a page break between them, the header typed again on top of the second."""
    from docx.enum.text import WD_BREAK

    document = _document()
    document.add_heading("Lauréats fictifs 2024", level=1)
    _table(document, [HEADER, *[list(a) for a in AWARDS[:2]]])
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _table(document, [HEADER, *[list(a) for a in AWARDS[2:]], ["TOTAL", "", "", "30 500,50 €"]])
    document.save(str(path))
    return path
