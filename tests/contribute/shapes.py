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
COFUNDED_HEADER = ["Porteur du projet", "Intitulé du projet", "Département", "Montant ARS", "Montant DREETS",
                   "Montant Commissaire"]
COFUNDED_ROWS = [
    ["Association fictive Les Lucioles", "Café des parents fictif", "75", "10 000 €", "-", "5 000 €"],
    ["Crèche imaginaire du Canal", "Éveil musical fictif", "75", "0", "8 000 €", "—"],
    ["Sous-total Paris", "", "", "10 000 €", "8 000 €", "5 000 €"],
    ["Centre social fictif des Lilas", "Ateliers parentalité fictifs", "93", "", "", "12 000 €"],
    ["Maison fictive des Familles", "Projet sans montant publié", "93", "-", "—", ""],
    ["Sous-total Seine-Saint-Denis", "", "", "", "", "12 000 €"],
    ["TOTAL", "", "", "10 000 €", "8 000 €", "17 000 €"],
]
COFUNDED_LINES: list[Line] = [
    ("Association fictive Les Lucioles", "Café des parents fictif", "75", "ARS", 10000.0),
    ("Association fictive Les Lucioles", "Café des parents fictif", "75", "COMMISSAIRE_PAUVRETE", 5000.0),
    ("Crèche imaginaire du Canal", "Éveil musical fictif", "75", "DREETS", 8000.0),
    ("Centre social fictif des Lilas", "Ateliers parentalité fictifs", "93", "COMMISSAIRE_PAUVRETE", 12000.0),
    ("Maison fictive des Familles", "Projet sans montant publié", "93", "NC", None),
]
COFUNDED_TOTAL = 35000.0


def cofunded_csv(path: Path) -> Path:
    lines = [["Appel à projets 1000 premiers jours — lauréats (FICTIF)"], [], COFUNDED_HEADER, *COFUNDED_ROWS]
    path.write_bytes("\r\n".join(";".join(r) for r in lines).encode("utf-8") + b"\r\n")
    return path


# Shape 1 — a header over two rows: « Montant accordé (€) » merged over « ARS », « DREETS »,
# « Commissaire », the other headers merged down over both rows.
TWO_ROW_AWARDS = [
    ("Association fictive Graine d'Éveil", "Accueil parents-enfants fictif", "Loiret", 9000, None, 3000),
    ("Crèche imaginaire des Bords de Loire", "Jardin d'éveil fictif", "37", None, 7500.5, None),
    ("Relais fictif Petite Enfance", "Formation fictive des assistantes maternelles", "Cher (18)", 4000, 2000, None),
]
TWO_ROW_LINES: list[Line] = [
    ("Association fictive Graine d'Éveil", "Accueil parents-enfants fictif", "45", "ARS", 9000.0),
    ("Association fictive Graine d'Éveil", "Accueil parents-enfants fictif", "45", "COMMISSAIRE_PAUVRETE", 3000.0),
    ("Crèche imaginaire des Bords de Loire", "Jardin d'éveil fictif", "37", "DREETS", 7500.5),
    ("Relais fictif Petite Enfance", "Formation fictive des assistantes maternelles", "18", "ARS", 4000.0),
    ("Relais fictif Petite Enfance", "Formation fictive des assistantes maternelles", "18", "DREETS", 2000.0),
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
    ws.append(["Porteur du projet", "Intitulé du projet", "Département", "Montant accordé (€)", None, None])
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
    "Finistère": [("Association fictive Ty Bihan", "Accueil fictif du jeune enfant", 6000),
                  ("Crèche imaginaire de l'Aber", "Éveil fictif en plein air", 4500)],
    "Morbihan": [("Centre social fictif du Blavet", "Massage bébé fictif", 3200.5)],
    "Ille-et-Vilaine": [("Maison fictive des Parents", "Soutien fictif à la parentalité", 10000),
                        ("Relais imaginaire Petite Enfance", "Formation fictive", 2500)],
}
SHEET_CODES = {"Finistère": "29", "Morbihan": "56", "Ille-et-Vilaine": "35"}
SHEETS_LINES: list[Line] = [(name, title, SHEET_CODES[sheet], "ARS", float(amount))
                            for sheet, awards in SHEETS.items() for name, title, amount in awards]


def sheets_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    synthese = wb.active
    synthese.title = "Synthèse"
    synthese.append(["Synthèse régionale (FICTIF)"])
    synthese.append(["Département", "Nombre de projets", "Montant"])
    for i, (sheet, awards) in enumerate(SHEETS.items(), start=3):
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
