"""FICTITIOUS lists whose rows are grouped under a value written once: a département merged down
over its projects (XLSX, ODS), the same left empty below its first row (visual grouping, no merge),
and co-funded projects over several rows (« Financeur | Montant », one row per funder).

Every name and amount is invented; the places are Normandie's départements (region 28).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

TITLE = "ARS Normandie (FICTIF) — projets retenus « 1000 premiers jours » 2024"


@dataclass(frozen=True)
class Projet:
    name: str
    title: str
    department: str  # as written, on the first row of its group
    code: str  # what must come out
    amount: float


# Four groups: three projects at the top, one alone, two in the middle, two at the end.
PROJETS = (
    Projet("Association Fictive Les Lucioles", "Café des parents", "14 - Calvados", "14", 12500),
    Projet("Crèche Imaginaire du Bocage", "Accueil passerelle", "14 - Calvados", "14", 8000),
    Projet("Centre Social Inventé", "Ateliers d'éveil", "14 - Calvados", "14", 1234.5),
    Projet("Relais Fictif de l'Eure", "Halte itinérante", "27 - Eure", "27", 6000),
    Projet("Maison Fictive des Familles", "Visites à domicile", "50 - Manche", "50", 20000),
    Projet("Association Fictive Cocon", "Soutien périnatal", "50 - Manche", "50", 4500),
    Projet("Ludothèque Imaginaire", "Jeux parents-enfants", "61 - Orne", "61", 3000),
    Projet("Crèche Fictive des Haies", "Éveil musical", "61 - Orne", "61", 2765.5),
)
TOTAL = sum(p.amount for p in PROJETS)  # 58 000 €
# Each group: (first index, last index) in PROJETS.
GROUPS = ((0, 2), (3, 3), (4, 5), (6, 7))

# Two layouts: the département first (name spelled out), or third (its code and name).
LAYOUTS = {
    "dep-en-tete": ["Département", "Structure porteuse", "Intitulé du projet", "Montant accordé"],
    "dep-au-milieu": [
        "Structure porteuse",
        "Intitulé du projet",
        "Département d'intervention",
        "Montant (€)",
    ],
}


def _department(p: Projet, layout: str) -> str:
    return p.department.split(" - ")[1] if layout == "dep-en-tete" else p.department


def _cells(p: Projet, layout: str, department: str | None, amount: object) -> list:
    if layout == "dep-en-tete":
        return [department, p.name, p.title, amount]
    return [p.name, p.title, department, amount]


def _firsts() -> set[int]:
    return {first for first, _ in GROUPS}


def merged_xlsx(path: Path, layout: str, *, merged: bool = True) -> Path:
    """The département merged down over its group (merged=False: written on the first row only,
    the cells below left empty — a merge undone, or a visual grouping)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Projets retenus"
    ws.append([TITLE])
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(LAYOUTS[layout])
    for i, p in enumerate(PROJETS):
        department = _department(p, layout) if i in _firsts() else None
        ws.append(_cells(p, layout, department, p.amount))
    ws.append(["TOTAL", None, None, TOTAL])
    column = "A" if layout == "dep-en-tete" else "C"
    for first, last in GROUPS:
        if merged and last > first:
            ws.merge_cells(f"{column}{first + 4}:{column}{last + 4}")
    wb.save(path)
    return path


def merged_ods(path: Path, layout: str, *, merged: bool = True) -> Path:
    """The same in ODS: a spanned cell (number-rows-spanned) over covered cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Projets retenus")
    table.addElement(TableColumn(numbercolumnsrepeated=4))

    def text(value: str, **attrs) -> TableCell:
        cell = TableCell(valuetype="string", **attrs)
        cell.addElement(P(text=value))
        return cell

    def number(value: float) -> TableCell:
        cell = TableCell(valuetype="float", value=str(value))
        cell.addElement(P(text=f"{value:,.2f}".replace(",", " ").replace(".", ",")))
        return cell

    def row(*cells) -> TableRow:
        r = TableRow()
        for c in cells:
            r.addElement(c)
        r.addElement(TableCell(numbercolumnsrepeated=1020))  # as LibreOffice pads a row
        return r

    table.addElement(
        row(text(TITLE, numbercolumnsspanned=4), CoveredTableCell(numbercolumnsrepeated=3))
    )
    table.addElement(row())
    table.addElement(row(*(text(h) for h in LAYOUTS[layout])))
    span = {first: last - first + 1 for first, last in GROUPS}
    for i, p in enumerate(PROJETS):
        if i in span:
            rows = span[i] if merged else 1
            place = text(
                _department(p, layout), **({"numberrowsspanned": rows} if rows > 1 else {})
            )
        else:
            place = CoveredTableCell() if merged else TableCell()
        table.addElement(row(*_ods_cells(p, layout, place, text, number)))
    table.addElement(row(text("TOTAL"), TableCell(numbercolumnsrepeated=2), number(TOTAL)))
    table.addElement(TableRow(numberrowsrepeated=500))
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def _ods_cells(p: Projet, layout: str, place, text, number) -> list:
    if layout == "dep-en-tete":
        return [place, text(p.name), text(p.title), number(p.amount)]
    return [text(p.name), text(p.title), place, number(p.amount)]


def grouped_csv(layout: str) -> bytes:
    """A visual grouping in a cp1252 CSV export: the département on the first row of its group."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow([TITLE])
    w.writerow([])
    w.writerow(LAYOUTS[layout])
    for i, p in enumerate(PROJETS):
        department = _department(p, layout) if i in _firsts() else ""
        amount = f"{p.amount:,.2f} €".replace(",", " ").replace(".", ",")
        w.writerow(_cells(p, layout, department, amount))
    w.writerow(["TOTAL", "", "", "58 000,00 €"])
    return out.getvalue().encode("cp1252")


# --- co-funded projects, one row per funder -------------------------------------------------


@dataclass(frozen=True)
class Cofinance:
    name: str
    title: str
    department: str
    code: str
    funders: tuple[tuple[str, str, float], ...]  # (as written, code, amount)

    @property
    def total(self) -> float:
        return sum(a for _, _, a in self.funders)


COFINANCES = (
    Cofinance(
        "Association Fictive Premiers Pas",
        "Accueil parents-bébés",
        "Calvados",
        "14",
        (("ARS", "ARS", 10000), ("CAF", "CAF", 4000)),
    ),
    Cofinance(
        "Crèche Imaginaire des Prés",
        "Passerelle vers l'école",
        "Manche",
        "50",
        (("ARS", "ARS", 8000), ("DREETS", "DREETS", 3500), ("CAF", "CAF", 1500)),
    ),
    Cofinance(
        "Centre Social Fictif du Val",
        "Ateliers langage",
        "Orne",
        "61",
        (("DREETS", "DREETS", 6000), ("Commissaire pauvreté", "COMMISSAIRE_PAUVRETE", 2500)),
    ),
    Cofinance(
        "Maison Fictive de l'Enfance",
        "Visites à domicile",
        "Eure",
        "27",
        (("ARS", "ARS", 12000), ("DREETS", "DREETS", 5000), ("CAF", "CAF", 3000)),
    ),
)
COFINANCE_TOTAL = sum(c.total for c in COFINANCES)  # 55 500 €
COFINANCE_HEADER = [
    "Structure porteuse",
    "Intitulé du projet",
    "Département",
    "Financeur",
    "Montant",
]


def cofinance_rows(*, head: str, wrong_total: bool = False) -> list[list]:
    """One row per funder under the project's first row, which is the first funder's (`head`
    « funder »), or names the project without a funder, with its total (« total ») or without
    an amount (« heading »)."""
    rows: list[list] = []
    for k, c in enumerate(COFINANCES):
        funders = list(c.funders)
        if head != "funder":
            total = c.total + (1000 if wrong_total and k == 1 else 0)
            rows.append([c.name, c.title, c.department, None, total if head == "total" else None])
        else:
            written, _, amount = funders.pop(0)
            rows.append([c.name, c.title, c.department, written, amount])
        rows += [[None, None, None, written, amount] for written, _, amount in funders]
    return rows


def cofinance_csv(**kwargs) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(COFINANCE_HEADER)
    for cells in cofinance_rows(**kwargs):
        amount = f"{cells[4]:,.0f} €".replace(",", " ") if cells[4] else ""
        w.writerow([*(c or "" for c in cells[:4]), amount])
    w.writerow(["TOTAL", "", "", "", "55 500 €"])
    return out.getvalue().encode("utf-8")


def cofinance_xlsx(path: Path, **kwargs) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Cofinancements"
    ws.append([TITLE])
    ws.append(COFINANCE_HEADER)
    for cells in cofinance_rows(**kwargs):
        ws.append(cells)
    ws.append(["Total général", None, None, None, COFINANCE_TOTAL])
    wb.save(path)
    return path


# --- an amount merged over several cells ----------------------------------------------------

PARTENAIRES = (
    ("Association Fictive Duo", "Projet commun petite enfance", "Calvados"),
    ("Centre Social Fictif Duo", "Projet commun petite enfance", "Manche"),
    ("Crèche Imaginaire Solo", "Éveil sensoriel", "Orne"),
)


def amount_merged_xlsx(path: Path, *, across: str) -> Path:
    """One amount for two rows (`across` « rows »: 15 000 € merged over the two partners' rows) or
    for two funders (« funders »: 9 000 € merged over « Montant ARS » and « Montant DREETS »)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    header = ["Structure porteuse", "Intitulé du projet", "Département"]
    if across == "rows":
        ws.append([*header, "Montant accordé"])
        ws.append([*PARTENAIRES[0], 15000])
        ws.append([*PARTENAIRES[1], None])
        ws.append([*PARTENAIRES[2], 4000])
        ws.append(["TOTAL", None, None, 19000])
        ws.merge_cells("D2:D3")
    else:
        ws.append([*header, "Montant ARS", "Montant DREETS"])
        ws.append([*PARTENAIRES[0], 9000, None])
        ws.append([*PARTENAIRES[2], 4000, 1000])
        ws.append(["TOTAL", None, None, 13000, 1000])
        ws.merge_cells("D2:E2")
    wb.save(path)
    return path
