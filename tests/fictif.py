"""Fictitious regional files, written the way regions publish them (titles, French amounts, TOTAL line).

Every name, amount and contact here is invented for the tests; none of it is real data.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

# A list as a region might export it: a title above the header, French amounts, a TOTAL line.
TITRE_FICTIF = "ARS Normandie (FICTIF) — Appel à projets « 1000 premiers jours » 2024"
EN_TETE_FICTIF = [
    "Structure porteuse",
    "Intitulé du projet",
    "Département",
    "Montant accordé",
    "Observations",
]
LAUREATS_FICTIFS = [
    [
        "Association Fictive des Jeunes Parents",
        "Café des parents",
        "14 - Calvados",
        "12 500,00 €",
        "",
    ],
    ["Crèche Imaginaire du Bocage", "Accueil passerelle", "Manche", "8 000 €", ""],
    ["Centre Social Inventé", "Ateliers d'éveil", "76", "1.234,50", ""],
    [
        "Maison Fictive de la Parentalité",
        "Visites à domicile",
        "Orne (61)",
        "20 000,00 €",
        "renouvellement",
    ],
]
TOTAL_FICTIF = 41734.50


def csv_fictif(
    rows: list[list[str]] | None = None, header: list[str] | None = None, total: str = "41 734,50 €"
) -> bytes:
    """The messy list as a cp1252, semicolon CSV: two title lines, a blank line, the table, a TOTAL line."""
    header = header or EN_TETE_FICTIF
    lines = [
        [TITRE_FICTIF],
        ["Liste des projets retenus — données fictives pour les tests"],
        [],
        header,
        *(rows if rows is not None else LAUREATS_FICTIFS),
    ]
    lines.append(["TOTAL", "", "", total, ""][: len(header)])
    width = len(header)
    text = "\r\n".join(";".join((cells + [""] * width)[:width]) for cells in lines) + "\r\n"
    return text.encode("cp1252")


def xlsx_fictif(path: Path) -> Path:
    """The same list as a spreadsheet: merged title, numeric amounts, a TOTAL formula's value."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Lauréats"
    ws.append([TITRE_FICTIF])
    ws.merge_cells("A1:E1")
    ws.append(["Liste des projets retenus — données fictives pour les tests"])
    ws.append([])
    ws.append(EN_TETE_FICTIF)
    amounts = [12500, 8000, 1234.5, 20000]
    for cells, amount in zip(LAUREATS_FICTIFS, amounts):
        ws.append([cells[0], cells[1], cells[2], amount, cells[4] or None])
    ws.append(["TOTAL", None, None, TOTAL_FICTIF, None])
    wb.save(path)
    return path


def complete_as_contributor(manifest: Path, awards_count: int | None = None) -> str:
    """What a contributor does with a draft: fill the placeholders, uncomment the announced figures."""
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  publisher: .*$", "  publisher: ARS Normandie (éditeur fictif)", text)
    text = re.sub(r"(?m)^  url: .*$", "  url: https://exemple.invalid/normandie-fictif", text)
    if awards_count is not None:
        text = re.sub(r"(?m)^# declared:", "declared:", text)
        text = re.sub(r"(?m)^#   awards_count: 0", f"  awards_count: {awards_count}", text)
        text = re.sub(r"(?m)^#   total_amount_eur:", "  total_amount_eur:", text)
    manifest.write_text(text, encoding="utf-8")
    return text


def manifest_fictif(**overrides) -> str:
    """A minimal valid awards manifest for a fictitious Normandie list, keys overridable."""
    data = {
        "source": {
            "publisher": "ARS Normandie (éditeur fictif)",
            "url": "https://exemple.invalid/fictif",
            "retrieved": "2026-01-15",
        },
        "region": "28",
        "year": 2024,
        "campaign": {"id": "normandie-2024-aap", "title": "Appel à projets fictif 2024"},
        "table": "awards",
        "read": {"delimiter": ";"},
        "columns": {
            "beneficiary_name": "Structure porteuse",
            "project_title": "Intitulé du projet",
            "department": "Département",
            "amount_eur": "Montant accordé",
        },
        "defaults": {"funder": "ARS"},
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
