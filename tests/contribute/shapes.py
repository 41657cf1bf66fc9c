"""FICTITIOUS files in the shapes regions really publish, one generator per shape.

Every name, title and amount here is invented (« fictif », « fictive », « imaginaire »). Each
generator returns what the published package must hold afterwards: (beneficiary, project title,
department code, funder, amount) per award line, in file order.
"""

from __future__ import annotations

from pathlib import Path

Line = tuple[str, str, str, str, float | None]  # beneficiary, title, department, funder, amount


# Shape 2 — co-funded lines, one amount column per funder; "-", "0", "—" or blank: that funder did
# not pay. Sub-totals per département, then the TOTAL.
COFUNDED_HEADER = [
    "Porteur du projet",
    "Intitulé du projet",
    "Département",
    "Montant ARS",
    "Montant DREETS",
    "Montant Commissaire",
]
COFUNDED_ROWS = [
    [
        "Association fictive Les Lucioles",
        "Café des parents fictif",
        "75",
        "10 000 €",
        "-",
        "5 000 €",
    ],
    ["Crèche imaginaire du Canal", "Éveil musical fictif", "75", "0", "8 000 €", "—"],
    ["Sous-total Paris", "", "", "10 000 €", "8 000 €", "5 000 €"],
    ["Centre social fictif des Lilas", "Ateliers parentalité fictifs", "93", "", "", "12 000 €"],
    ["Maison fictive des Familles", "Projet sans montant publié", "93", "-", "—", ""],
    ["Sous-total Seine-Saint-Denis", "", "", "", "", "12 000 €"],
    ["TOTAL", "", "", "10 000 €", "8 000 €", "17 000 €"],
]
COFUNDED_LINES: list[Line] = [
    ("Association fictive Les Lucioles", "Café des parents fictif", "75", "ARS", 10000.0),
    (
        "Association fictive Les Lucioles",
        "Café des parents fictif",
        "75",
        "COMMISSAIRE_PAUVRETE",
        5000.0,
    ),
    ("Crèche imaginaire du Canal", "Éveil musical fictif", "75", "DREETS", 8000.0),
    (
        "Centre social fictif des Lilas",
        "Ateliers parentalité fictifs",
        "93",
        "COMMISSAIRE_PAUVRETE",
        12000.0,
    ),
    ("Maison fictive des Familles", "Projet sans montant publié", "93", "NC", None),
]
COFUNDED_TOTAL = 35000.0


def cofunded_csv(path: Path) -> Path:
    lines = [
        ["Appel à projets 1000 premiers jours — lauréats (FICTIF)"],
        [],
        COFUNDED_HEADER,
        *COFUNDED_ROWS,
    ]
    path.write_bytes("\r\n".join(";".join(r) for r in lines).encode("utf-8") + b"\r\n")
    return path


# Shape 1 — a header over two rows: « Montant accordé (€) » merged over « ARS », « DREETS »,
# « Commissaire », the other headers merged down over both rows.
TWO_ROW_AWARDS = [
    (
        "Association fictive Graine d'Éveil",
        "Accueil parents-enfants fictif",
        "Loiret",
        9000,
        None,
        3000,
    ),
    ("Crèche imaginaire des Bords de Loire", "Jardin d'éveil fictif", "37", None, 7500.5, None),
    (
        "Relais fictif Petite Enfance",
        "Formation fictive des assistantes maternelles",
        "Cher (18)",
        4000,
        2000,
        None,
    ),
]
TWO_ROW_LINES: list[Line] = [
    ("Association fictive Graine d'Éveil", "Accueil parents-enfants fictif", "45", "ARS", 9000.0),
    (
        "Association fictive Graine d'Éveil",
        "Accueil parents-enfants fictif",
        "45",
        "COMMISSAIRE_PAUVRETE",
        3000.0,
    ),
    ("Crèche imaginaire des Bords de Loire", "Jardin d'éveil fictif", "37", "DREETS", 7500.5),
    (
        "Relais fictif Petite Enfance",
        "Formation fictive des assistantes maternelles",
        "18",
        "ARS",
        4000.0,
    ),
    (
        "Relais fictif Petite Enfance",
        "Formation fictive des assistantes maternelles",
        "18",
        "DREETS",
        2000.0,
    ),
]
TWO_ROW_TOTAL = 25500.5


def two_row_header_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Lauréats"
    ws.append(["Lauréats de l'appel à projets 1000 premiers jours (FICTIF)"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(
        [
            "Porteur du projet",
            "Intitulé du projet",
            "Département",
            "Montant accordé (€)",
            None,
            None,
        ]
    )
    ws.append([None, None, None, "ARS", "DREETS", "Commissaire"])
    for column in "ABC":
        ws.merge_cells(f"{column}3:{column}4")
    ws.merge_cells("D3:F3")
    for award in TWO_ROW_AWARDS:
        ws.append(list(award))
    ws.append(["TOTAL", None, None, 13000, 9500.5, 3000])
    wb.save(path)
    return path


# Shape 3 — one sheet per département, named after it, plus a « Synthèse » sheet of formulas.
SHEETS = {
    "Finistère": [
        ("Association fictive Ty Bihan", "Accueil fictif du jeune enfant", 6000),
        ("Crèche imaginaire de l'Aber", "Éveil fictif en plein air", 4500),
    ],
    "Morbihan": [("Centre social fictif du Blavet", "Massage bébé fictif", 3200.5)],
    "Ille-et-Vilaine": [
        ("Maison fictive des Parents", "Soutien fictif à la parentalité", 10000),
        ("Relais imaginaire Petite Enfance", "Formation fictive", 2500),
    ],
}
SHEET_CODES = {"Finistère": "29", "Morbihan": "56", "Ille-et-Vilaine": "35"}
SHEETS_LINES: list[Line] = [
    (name, title, SHEET_CODES[sheet], "ARS", float(amount))
    for sheet, awards in SHEETS.items()
    for name, title, amount in awards
]


def sheets_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    synthese = wb.active
    synthese.title = "Synthèse"
    synthese.append(["Synthèse régionale (FICTIF)"])
    synthese.append(["Département", "Nombre de projets", "Montant"])
    for _i, (sheet, awards) in enumerate(SHEETS.items(), start=3):
        synthese.append([sheet, len(awards), f"=SUM('{sheet}'!C4:C{3 + len(awards)})"])
    synthese.append(["TOTAL", 5, "=SUM(C3:C5)"])
    for sheet, awards in SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.append([f"Lauréats fictifs — {sheet}"])
        ws.append([])
        ws.append(["Structure porteuse", "Intitulé de l'action", "Subvention ARS"])
        for award in awards:
            ws.append(list(award))
        ws.append(["TOTAL", None, sum(a[2] for a in awards)])
    wb.save(path)
    return path


# Shape 5 — a web article: laureates as <li> under one <h3> per département, written several ways,
# inside a page with a menu, a breadcrumb, tags and a footer.
ARTICLE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Lauréats fictifs</title></head>
<body>
<header><nav class="menu"><ul><li><a href="/">Accueil</a></li><li><a href="/actus">Actualités – 2 000 €</a></li>
<li><a href="/contact">Contact</a></li></ul></nav></header>
<div class="breadcrumb"><ul><li>Accueil</li><li>Actualités</li><li>1000 premiers jours</li></ul></div>
<main><article>
<h1>1000 premiers jours : les lauréats fictifs de l'appel à projets</h1>
<p>L'ARS (fictive) a retenu cinq projets pour un total de 41 500 euros.</p>
<ul><li>Date du comité : 12 mars</li><li>Instruction conjointe ARS et DREETS</li></ul>
<h3>Finistère</h3>
<ul>
<li><strong>Association fictive Ti ar Vugale</strong> – Café des parents fictif : 15 000 €</li>
<li>Crèche imaginaire de Saint-Renan - « Éveil musical fictif » - 8 500 euros</li>
</ul>
<h3>Côtes-d'Armor</h3>
<ul>
<li>Centre social fictif du Trégor – "Ateliers fictifs de massage bébé" : 3 000 €</li>
<li>Maison fictive des Familles — Soutien fictif à la parentalité : 10 000 €.</li>
</ul>
<h3>Morbihan</h3>
<ul><li>Relais imaginaire Petite Enfance – Formation fictive : 5 000 EUR</li></ul>
<div class="tags"><ul><li>parentalité</li><li>petite enfance</li></ul></div>
</article></main>
<footer><ul><li>Mentions légales</li><li>Plan du site</li></ul></footer>
</body></html>
"""
ARTICLE_LINES: list[Line] = [
    ("Association fictive Ti ar Vugale", "Café des parents fictif", "29", "NC", 15000.0),
    ("Crèche imaginaire de Saint-Renan", "Éveil musical fictif", "29", "NC", 8500.0),
    ("Centre social fictif du Trégor", "Ateliers fictifs de massage bébé", "22", "NC", 3000.0),
    ("Maison fictive des Familles", "Soutien fictif à la parentalité", "22", "NC", 10000.0),
    ("Relais imaginaire Petite Enfance", "Formation fictive", "56", "NC", 5000.0),
]


def article_html(path: Path) -> Path:
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# Shape 4 — a Word document exported to PDF: a ruled table whose header repeats on each page, a
# row cut by the page break and continued at the top of the next page, a name hyphenated at a
# line break inside its cell (« Saint-Imaginaire »), a TOTAL merged over three cells.
WORD_HEADER = ["Porteur du projet", "Intitulé du projet", "Département", "Montant accordé"]
# Each cell as its lines; page 1 ends inside the last row, page 2 goes on with it.
WORD_PAGE_1 = [
    [
        ["Association fictive Les", "Premiers Pas"],
        ["Café des parents fictif"],
        ["Gironde"],
        ["12 000 €"],
    ],
    [
        ["Crèche fictive de Saint-", "Imaginaire"],
        ["Accueil fictif des tout-", "petits"],
        ["Landes"],
        ["8 500 €"],
    ],
    [
        ["Centre social fictif du Béarn"],
        ["Ateliers fictifs d'éveil"],
        ["Pyrénées-Atlantiques"],
        ["6 000 €"],
    ],
    [
        ["Maison fictive de la", "Parentalité"],
        ["Accompagnement fictif des", "parents, visites à domicile,"],
        ["Gironde"],
        ["15 000 €"],
    ],
]
WORD_PAGE_2 = [
    [[], ["ateliers collectifs et lieu", "d'accueil enfants-parents"], [], []],
    [["Relais fictif Petite Enfance"], ["Formation fictive"], ["Lot-et-Garonne"], ["4 000 €"]],
]
WORD_LINES: list[Line] = [
    ("Association fictive Les Premiers Pas", "Café des parents fictif", "33", "NC", 12000.0),
    ("Crèche fictive de Saint-Imaginaire", "Accueil fictif des tout-petits", "40", "NC", 8500.0),
    ("Centre social fictif du Béarn", "Ateliers fictifs d'éveil", "64", "NC", 6000.0),
    (
        "Maison fictive de la Parentalité",
        "Accompagnement fictif des parents, visites à domicile, ateliers "
        "collectifs et lieu d'accueil enfants-parents",
        "33",
        "NC",
        15000.0,
    ),
    ("Relais fictif Petite Enfance", "Formation fictive", "47", "NC", 4000.0),
]
WORD_TOTAL = 45500.0


def word_pdf(path: Path) -> Path:
    """Drawn as Word draws it: one rule per cell side, the cut row open at the page's foot."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    widths, left, leading = [150, 150, 110, 80], 50, 12
    xs = [left + sum(widths[:i]) for i in range(len(widths) + 1)]
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Lauréats fictifs")

    def draw(rows: list[list[list[str]]], top: float, merged_last: bool = False) -> float:
        for k, row in enumerate(rows):
            height = leading * max(1, *(len(c) for c in row)) + 6
            pdf.line(xs[0], top, xs[-1], top)
            inner = xs[1:-1] if not (merged_last and k == len(rows) - 1) else xs[3:-1]
            for x in [xs[0], *inner, xs[-1]]:
                pdf.line(x, top, x, top - height)
            for x, cell in zip(xs, row):
                for i, line in enumerate(cell):
                    pdf.drawString(x + 3, top - 11 - i * leading, line)
            top -= height
        return top

    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(left, 790, "ARS Nouvelle-Aquitaine (FICTIF) — projets retenus")
    pdf.setFont("Helvetica", 9)
    bottom = draw([[[h] for h in WORD_HEADER], *WORD_PAGE_1], 760)
    pdf.line(xs[0], bottom, xs[-1], bottom)  # the page's foot closes the cut row
    pdf.drawString(left, 40, "Page 1/2")
    pdf.showPage()
    pdf.setFont("Helvetica", 9)
    total = [["TOTAL"], [], [], ["45 500 €"]]
    bottom = draw([[[h] for h in WORD_HEADER], *WORD_PAGE_2, total], 800, merged_last=True)
    pdf.line(xs[0], bottom, xs[-1], bottom)
    pdf.drawString(left, 40, "Page 2/2")
    pdf.save()
    return path


# Shape 8 — a cp1252 CSV with a « ; » inside an unquoted title, « 15 000 euros » and « 1.234,50 ».
DIRTY_CSV = (
    "Lauréats 2024 (FICTIF)\r\n"
    "Porteur du projet;Intitulé du projet;Département;Montant accordé;Observations\r\n"
    "Association fictive Œil d'Enfant;Accueil parents-enfants;Haute-Garonne;15 000 euros;\r\n"
    "Crèche imaginaire du Capitole;Éveil musical; ateliers d'éveil;31;1.234,50;renouvellement\r\n"
    "Centre social fictif de l'Aude;Café des parents;11;8 000 €;\r\n"
    "TOTAL;;;24 234,50 €;\r\n"
)
DIRTY_LINES: list[Line] = [
    ("Association fictive Œil d'Enfant", "Accueil parents-enfants", "31", "NC", 15000.0),
    ("Crèche imaginaire du Capitole", "Éveil musical; ateliers d'éveil", "31", "NC", 1234.5),
    ("Centre social fictif de l'Aude", "Café des parents", "11", "NC", 8000.0),
]


def dirty_csv(path: Path) -> Path:
    path.write_bytes(DIRTY_CSV.encode("cp1252"))
    return path


# Shape 9 — headers as regions write them, and no project title at all.
SPELLED_CSV = (
    "Nom de l'organisme;Action financée;Département de mise en œuvre du projet;Montant de l'aide\n"
    "Association fictive du Vexin;Ateliers fictifs parents-bébés;95;7 000 €\n"
    "Crèche imaginaire de Meaux;Accueil fictif en horaires décalés;Seine-et-Marne;9 500 €\n"
)
SPELLED_LINES: list[Line] = [
    ("Association fictive du Vexin", "Ateliers fictifs parents-bébés", "95", "NC", 7000.0),
    ("Crèche imaginaire de Meaux", "Accueil fictif en horaires décalés", "77", "NC", 9500.0),
]
UNTITLED_CSV = (
    "Structure porteuse;Département;Montant accordé\nAssociation fictive de Créteil;94;3 000 €\n"
)


def spelled_csv(path: Path) -> Path:
    path.write_text(SPELLED_CSV, encoding="utf-8")
    return path


# Shape 6 — a scanned list: the table is an image in the PDF, no text at all.
SCAN_HEADER = ["Porteur du projet", "Intitulé du projet", "Département", "Montant accordé"]
SCAN_ROWS = [
    ["Association fictive Arc", "Atelier parents fictif", "Doubs", "12 500 euros"],
    ["Crèche fictive du Jura", "Éveil fictif", "Jura", "8 000 euros"],
    ["Maison fictive des Familles", "Soutien fictif", "Yonne", "4 250 euros"],
]
SCAN_LINES: list[Line] = [
    ("Association fictive Arc", "Atelier parents fictif", "25", "NC", 12500.0),
    ("Crèche fictive du Jura", "Éveil fictif", "39", "NC", 8000.0),
    ("Maison fictive des Familles", "Soutien fictif", "89", "NC", 4250.0),
]
SCAN_TOTAL = 24750.0


def scanned_pdf(path: Path, total: str = "24 750 euros") -> Path:
    """The table drawn into an image (200 dpi), saved as a PDF page: what a scanner gives."""
    import reportlab
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), 30)
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    draw = ImageDraw.Draw(page)
    draw.text((120, 150), "Lauréats fictifs (document scanné)", font=font, fill=0)
    xs = [120, 600, 1040, 1310]
    for k, row in enumerate([SCAN_HEADER, *SCAN_ROWS, ["TOTAL", "", "", total]]):
        for x, cell in zip(xs, row):
            draw.text((x, 300 + k * 70), cell, font=font, fill=0)
    page.save(path, "PDF", resolution=200)
    return path


# Shape 7 — a démarches-simplifiées export: every dossier, refused ones too, and the applicants'
# civility, names, e-mails and phones (tests/fixtures_gen.py writes it, fictitious throughout).
DS_LINES: list[Line] = [
    ("Association fictive DS 1", "Projet fictif déposé n°1", "35", "NC", 5000.0),
    ("Association fictive DS 5", "Projet fictif déposé n°5", "35", "NC", 9000.0),
    ("Association fictive DS 6", "Projet fictif déposé n°6", "22", "NC", 10000.0),
    ("Association fictive DS 9", "Projet fictif déposé n°9", "35", "NC", 13000.0),
]


def ds_export(path: Path) -> Path:
    from tests.fixtures_gen import fake_siret, write_ds_export

    write_ds_export(path)
    # Here every accepted dossier is in order (its SIRET too): the contributor path must accept it as is.
    path.write_text(
        path.read_text(encoding="utf-8").replace("99900006000010", fake_siret(6)), encoding="utf-8"
    )
    return path
