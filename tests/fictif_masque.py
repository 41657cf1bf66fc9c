"""Fictitious workbooks that hide part of themselves, as a region's working file does: refused
applications hidden under an automatic filter, a hidden column, a hidden sheet.

Every name and amount here is invented for the tests; none of it is real data. Each generator
returns what a reader must find: the visible laureates, and what is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

TITRE = "ARS Normandie (FICTIF) — Candidatures « 1000 premiers jours » 2024"
EN_TETE = ["Structure porteuse", "Intitulé du projet", "Département", "Montant accordé"]
DEPARTEMENTS = ["14", "50", "61", "76", "27"]
HEADER_ROW = 4  # a title, a blank row, a subtitle, then the header


@dataclass(frozen=True)
class Ligne:
    name: str
    title: str
    department: str
    amount: float
    refused: bool = False


@dataclass
class Classeur:
    """What a fictitious workbook holds, by sheet: each row's number and whether it is hidden."""

    sheets: dict[str, list[tuple[int, Ligne, bool]]] = field(default_factory=dict)
    hidden_sheets: tuple[str, ...] = ()

    def rows(self, *, visible_only: bool) -> list[tuple[str, int, Ligne]]:
        return [
            (sheet, n, ligne)
            for sheet, lines in self.sheets.items()
            for n, ligne, hidden in lines
            if not (visible_only and (hidden or sheet in self.hidden_sheets))
        ]

    def total(self, *, visible_only: bool) -> float:
        return round(sum(x.amount for _, _, x in self.rows(visible_only=visible_only)), 2)

    def count(self, *, visible_only: bool) -> int:
        return len(self.rows(visible_only=visible_only))


def laureats(n: int, start: int = 1) -> list[Ligne]:
    return [
        Ligne(
            f"Association fictive n°{i}",
            f"Projet fictif d'éveil {i}",
            DEPARTEMENTS[i % len(DEPARTEMENTS)],
            10_000 + 500 * i + (0.5 if i % 4 == 0 else 0),
        )
        for i in range(start, start + n)
    ]


def refuses(n: int, start: int = 1) -> list[Ligne]:
    return [
        Ligne(
            f"Structure fictive refusée n°{i}",
            f"Demande fictive {i}",
            DEPARTEMENTS[i % len(DEPARTEMENTS)],
            7_000 + 250 * i,
            refused=True,
        )
        for i in range(start, start + n)
    ]


def end_under_filter() -> list[Ligne]:
    """13 laureates then 14 refused applications: rows 18 to 31, hidden by the filter."""
    return laureats(13) + refuses(14)


def in_the_middle() -> list[Ligne]:
    """Laureates, 3 refused applications hidden among them (rows 10 to 12), laureates again."""
    return laureats(5) + refuses(3) + laureats(6, start=6)


def write_xlsx_masque(
    path: Path,
    lignes: list[Ligne],
    *,
    sheet: str = "Candidatures",
    autofilter: bool = False,
    extra_column: tuple[str, bool] | None = None,
    hidden_sheet: list[Ligne] | None = None,
) -> Classeur:
    """The list as an XLSX: refused lines hidden (`row_dimensions[i].hidden`), an automatic filter
    over the table, an extra column (hidden or not), a second sheet « Refusés » hidden whole."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    classeur = Classeur()
    classeur.sheets[sheet] = _fill(ws, sheet, lignes, extra_column, hidden=True)
    last = HEADER_ROW + len(lignes)
    width = len(EN_TETE) + (1 if extra_column else 0)
    if autofilter:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{chr(64 + width)}{last}"
    if extra_column and extra_column[1]:
        ws.column_dimensions[chr(64 + width)].hidden = True
    if hidden_sheet is not None:
        other = wb.create_sheet("Refusés")
        classeur.sheets["Refusés"] = _fill(other, "Refusés", hidden_sheet, None, hidden=False)
        other.sheet_state = "hidden"
        classeur.hidden_sheets = ("Refusés",)
    wb.save(path)
    return classeur


def _fill(ws, title: str, lignes: list[Ligne], extra_column, *, hidden: bool) -> list:
    ws.title = title
    ws.append([TITRE])
    ws.append([])
    ws.append(["Données fictives pour les tests"])
    ws.append(EN_TETE + ([extra_column[0]] if extra_column else []))
    out = []
    for n, x in enumerate(lignes, HEADER_ROW + 1):
        extra = [_extra(extra_column[0], x)] if extra_column else []
        ws.append([x.name, x.title, x.department, x.amount, *extra])
        if hidden and x.refused:
            ws.row_dimensions[n].hidden = True
        out.append((n, x, hidden and x.refused))
    return out


def _extra(header: str, x: Ligne) -> int | str | None:
    """An amount requested (« Montant demandé ») or why an application was refused."""
    if "montant" in header.lower():
        return round(x.amount * 1.3)
    return "Hors critères de l'appel (fictif)" if x.refused else None


def write_ods_masque(
    path: Path,
    lignes: list[Ligne],
    *,
    sheet: str = "Candidatures",
    visibility: str = "collapse",
    autofilter: bool = False,
    extra_column: tuple[str, bool] | None = None,
    hidden_sheet: list[Ligne] | None = None,
) -> Classeur:
    """The list as an ODS: refused rows with `table:visibility` (« collapse », or « filter »
    under an automatic filter: a database range with its buttons), a hidden column, a hidden
    sheet (its table style: display false)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import DatabaseRange, DatabaseRanges, Table

    doc = OpenDocumentSpreadsheet()
    classeur = Classeur()
    table = Table(name=sheet)
    classeur.sheets[sheet] = _ods_fill(table, lignes, extra_column, visibility)
    doc.spreadsheet.addElement(table)
    if hidden_sheet is not None:
        style = Style(name="ta_masquee", family="table")
        style.addElement(TableProperties(display="false"))
        doc.automaticstyles.addElement(style)
        other = Table(name="Refusés", stylename=style)
        classeur.sheets["Refusés"] = _ods_fill(other, hidden_sheet, None, None)
        doc.spreadsheet.addElement(other)
        classeur.hidden_sheets = ("Refusés",)
    if autofilter:
        width = len(EN_TETE) + (1 if extra_column else 0)
        last = HEADER_ROW + len(lignes)
        ranges = DatabaseRanges()
        ranges.addElement(
            DatabaseRange(
                name="__Anonymous_Sheet_DB__0",
                targetrangeaddress=f"{sheet}.A{HEADER_ROW}:{sheet}.{chr(64 + width)}{last}",
                displayfilterbuttons="true",
            )
        )
        doc.spreadsheet.addElement(ranges)
    doc.save(str(path))
    return classeur


def _ods_fill(table, lignes: list[Ligne], extra_column, visibility: str | None) -> list:
    from odf.table import TableCell, TableColumn, TableRow
    from odf.text import P

    def text(value: str) -> TableCell:
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
        return cell

    def number(value: float) -> TableCell:
        cell = TableCell(valuetype="float", value=str(value))
        cell.addElement(P(text=str(value)))
        return cell

    def row(*cells, **attrs) -> TableRow:
        r = TableRow(**attrs)
        for c in cells:
            r.addElement(c)
        return r

    table.addElement(TableColumn(numbercolumnsrepeated=len(EN_TETE)))
    if extra_column:
        table.addElement(TableColumn(visibility="collapse" if extra_column[1] else "visible"))
    table.addElement(row(text(TITRE)))
    table.addElement(row())
    table.addElement(row(text("Données fictives pour les tests")))
    table.addElement(row(*map(text, EN_TETE + ([extra_column[0]] if extra_column else []))))
    out = []
    for n, x in enumerate(lignes, HEADER_ROW + 1):
        value = _extra(extra_column[0], x) if extra_column else None
        extra = (
            []
            if not extra_column
            else [number(value) if isinstance(value, int) else text(value or "")]
        )
        masked = bool(visibility) and x.refused
        cells = [text(x.name), text(x.title), text(x.department), number(x.amount), *extra]
        table.addElement(row(*cells, **({"visibility": visibility} if masked else {})))
        out.append((n, x, masked))
    return out


def masque_manifest(**read) -> str:
    """The manifest of these lists: the fictitious Normandie campaign, `read` as given."""
    from tests.fictif import manifest_fictif

    return manifest_fictif(
        read=read or {},
        columns={
            "beneficiary_name": "Structure porteuse",
            "project_title": "Intitulé du projet",
            "department": "Département",
            "amount_eur": "Montant accordé",
        },
    )
