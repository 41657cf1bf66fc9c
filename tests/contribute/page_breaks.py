"""FICTITIOUS Word tables saved as PDF, where a page break falls inside the list and the next page
has no repeated header (Word's default): a row cut in two, or a new row at the top of the page.

Every name, title and amount is invented (« fictif », « fictive », « imaginaire »). Each variant
gives the rows of each page, every cell as its lines, and what the package must hold afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.contribute.shapes import WORD_HEADER, Line

Cell = list[str]
Row = list[Cell]


@dataclass(frozen=True)
class Variant:
    page_1: list[Row]
    page_2: list[Row]  # the top of page 2, no header above it
    lines: list[Line]  # the award lines expected, in file order
    total: float  # the TOTAL line's amount


FIRST = [
    [["Association fictive Les", "Premiers Pas"], ["Café des parents fictif"], ["Gironde"]]
    + [["12 000 €"]],
    [["Crèche imaginaire du Médoc"], ["Éveil fictif en plein air"], ["Gironde"], ["7 500 €"]],
]
FIRST_LINES: list[Line] = [
    ("Association fictive Les Premiers Pas", "Café des parents fictif", "33", "NC", 12000.0),
    ("Crèche imaginaire du Médoc", "Éveil fictif en plein air", "33", "NC", 7500.0),
]
LAST = [[["Relais fictif Petite Enfance"], ["Formation fictive"], ["Lot-et-Garonne"], ["4 000 €"]]]
LAST_LINE: Line = ("Relais fictif Petite Enfance", "Formation fictive", "47", "NC", 4000.0)

# The rest of the title only: the name, the département and the amount stay on page 1.
TITLE_ONLY = Variant(
    page_1=[
        *FIRST,
        [
            ["Maison fictive de la Parentalité"],
            ["Accompagnement fictif des", "parents, visites à domicile,"],
            ["Landes"],
            ["15 000 €"],
        ],
    ],
    page_2=[[[], ["ateliers collectifs et lieu", "d'accueil enfants-parents"], [], []], *LAST],
    lines=[
        *FIRST_LINES,
        (
            "Maison fictive de la Parentalité",
            "Accompagnement fictif des parents, visites à domicile, ateliers collectifs et lieu "
            "d'accueil enfants-parents",
            "40",
            "NC",
            15000.0,
        ),
        LAST_LINE,
    ],
    total=38500.0,
)

# The rest of a long name and of the title: two columns continue on page 2.
NAME_AND_TITLE = Variant(
    page_1=[
        *FIRST,
        [
            ["Centre social fictif", "intercommunal du"],
            ["Ateliers fictifs d'éveil", "musical pour les"],
            ["Pyrénées-Atlantiques"],
            ["6 000 €"],
        ],
    ],
    page_2=[[["Béarn imaginaire"], ["tout-petits et leurs parents"], [], []], *LAST],
    lines=[
        *FIRST_LINES,
        (
            "Centre social fictif intercommunal du Béarn imaginaire",
            "Ateliers fictifs d'éveil musical pour les tout-petits et leurs parents",
            "64",
            "NC",
            6000.0,
        ),
        LAST_LINE,
    ],
    total=29500.0,
)

# Page 1 ends on a whole row; page 2 opens with a new laureate, every cell filled: not joined.
NEW_ROW = Variant(
    page_1=[*FIRST],
    page_2=[
        [["Maison fictive des Familles"], ["Soutien fictif à la parentalité"], ["Landes"]]
        + [["3 000 €"]],
        *LAST,
    ],
    lines=[
        *FIRST_LINES,
        ("Maison fictive des Familles", "Soutien fictif à la parentalité", "40", "NC", 3000.0),
        LAST_LINE,
    ],
    total=26500.0,
)

# A fragment that holds an amount cannot be told from a row of its own: never joined by guess.
WITH_AMOUNT = Variant(
    page_1=[
        *FIRST,
        [["Maison fictive de la Parentalité"], ["Accompagnement fictif des"], ["Landes"], []],
    ],
    page_2=[[[], ["parents et des enfants"], [], ["15 000 €"]], *LAST],
    lines=[
        *FIRST_LINES,
        ("Maison fictive de la Parentalité", "Accompagnement fictif des", "40", "NC", None),
        LAST_LINE,
    ],
    total=38500.0,
)

VARIANTS = {
    "titre": TITLE_ONLY,
    "nom-et-titre": NAME_AND_TITLE,
    "nouvelle-ligne": NEW_ROW,
    "montant": WITH_AMOUNT,
}


def cut_table_pdf(path: Path, variant: Variant, ruled: bool = True) -> Path:
    """Drawn as Word draws a table saved as PDF: one rule per cell side (none at all when not
    `ruled`), the header on page 1 only, the cut row left open at the foot of page 1 and closed at
    the top of page 2, a page number at the foot of each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    widths, left, leading = [150, 150, 110, 80], 50, 12
    xs = [left + sum(widths[:i]) for i in range(len(widths) + 1)]
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Lauréats fictifs")
    rule = pdf.line if ruled else (lambda *_: None)

    def draw(rows: list[Row], top: float) -> float:
        for row in rows:
            height = leading * max(1, *(len(c) for c in row)) + 6
            rule(xs[0], top, xs[-1], top)
            for x in xs:
                rule(x, top, x, top - height)
            for x, cell in zip(xs, row):
                for i, line in enumerate(cell):
                    pdf.drawString(x + 3, top - 11 - i * leading, line)
            top -= height
        return top

    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(left, 790, "ARS Nouvelle-Aquitaine (FICTIF) — projets retenus")
    pdf.setFont("Helvetica", 9)
    bottom = draw([[[h] for h in WORD_HEADER], *variant.page_1], 760)
    rule(xs[0], bottom, xs[-1], bottom)
    pdf.drawString(left, 40, "Page 1/2")
    pdf.showPage()
    pdf.setFont("Helvetica", 9)
    total = f"{variant.total:,.0f} €".replace(",", " ")
    bottom = draw([*variant.page_2, [["TOTAL"], [], [], [total]]], 800)
    rule(xs[0], bottom, xs[-1], bottom)
    pdf.drawString(left, 40, "Page 2/2")
    pdf.save()
    return path
