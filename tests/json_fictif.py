"""FICTITIOUS JSON exports, shaped as open-data portals write them.

Every name, title and amount here is invented (« fictif », « fictive », « imaginaire »). Each shape
comes with what the staged source must hold afterwards: (beneficiary, project title, department
code, funder, amount) per award line, in file order, and the total.
"""

from __future__ import annotations

import json
from pathlib import Path

Line = tuple[str, str, str, str, float | None]


# A plain list of objects (an « export JSON » button): keys as the publisher wrote them, some
# records without a key, a null, a boolean, the department as a number, an amount as text.
PLAIN = [
    {
        "Porteur du projet": "Association fictive des Jeunes Parents",
        "Intitulé du projet": "Café des parents fictif",
        "Département": "14",
        "Montant accordé": 12500.5,
        "Renouvellement": False,
    },
    {
        "Porteur du projet": "Crèche imaginaire du Bocage",
        "Intitulé du projet": "Accueil passerelle fictif",
        "Département": "Manche",
        "Montant accordé": "8 000 €",
    },
    {
        "Porteur du projet": "Centre social inventé",
        "Intitulé du projet": "Ateliers d'éveil fictifs",
        "Département": 76,
        "Montant accordé": 1234.56,
        "Observations": None,
    },
    {
        "Porteur du projet": "Maison fictive de la Parentalité",
        "Département": "Orne (61)",
        "Montant accordé": 20000,
        "Intitulé du projet": "Visites à domicile fictives",
        "Observations": "renouvellement",
    },
]
PLAIN_LINES: list[Line] = [
    ("Association fictive des Jeunes Parents", "Café des parents fictif", "14", "NC", 12500.5),
    ("Crèche imaginaire du Bocage", "Accueil passerelle fictif", "50", "NC", 8000.0),
    ("Centre social inventé", "Ateliers d'éveil fictifs", "76", "NC", 1234.56),
    ("Maison fictive de la Parentalité", "Visites à domicile fictives", "61", "NC", 20000.0),
]
PLAIN_TOTAL = 41735.06


# OpenDataSoft, API v2.1 (`/records`): `results`, the records' objects nested.
ODS_RESULTS = {
    "total_count": 3,
    "results": [
        {
            "porteur": {"nom": "Association fictive Les Lucioles", "statut": "association"},
            "projet": {"titre": "Café des parents fictif", "volet": "Parentalité"},
            "localisation": {"departement": "29", "commune": "Brest (fictif)"},
            "montant": 15000.5,
            "financeur": "ARS",
        },
        {
            "porteur": {"nom": "Crèche imaginaire de l'Ille", "statut": "établissement"},
            "projet": {"titre": "Éveil musical fictif", "volet": "Éveil"},
            "localisation": {"departement": "35", "commune": "Rennes (fictif)"},
            "montant": 3000,
            "financeur": "DREETS",
        },
        {
            "porteur": {"nom": "Relais fictif Petite Enfance"},
            "projet": {"titre": "Formation fictive des assistantes maternelles", "volet": None},
            "localisation": {"departement": "56"},
            "montant": 8000.25,
            "financeur": "ARS",
        },
    ],
}
ODS_LINES: list[Line] = [
    ("Association fictive Les Lucioles", "Café des parents fictif", "29", "ARS", 15000.5),
    ("Crèche imaginaire de l'Ille", "Éveil musical fictif", "35", "DREETS", 3000.0),
    (
        "Relais fictif Petite Enfance",
        "Formation fictive des assistantes maternelles",
        "56",
        "ARS",
        8000.25,
    ),
]
ODS_TOTAL = 26000.75


# data.gouv.fr (udata): `data` beside the page counters; a nested `montant` object and a list of
# themes (values joined into one cell).
UDATA = {
    "data": [
        {
            "beneficiaire": "Centre social fictif des Lilas",
            "intitule": "Ateliers parentalité fictifs",
            "departement": "93",
            "montant": {"total": 12000, "devise": "EUR"},
            "thematique": ["Parentalité", "Éveil culturel"],
            "financeur": "Commissaire pauvreté",
        },
        {
            "beneficiaire": "Association imaginaire du Canal",
            "intitule": "Café des familles fictif",
            "departement": "75",
            "montant": {"total": 7500.75, "devise": "EUR"},
            "thematique": ["Soutien à la parentalité"],
            "financeur": "ARS",
        },
        {
            "beneficiaire": "Maison fictive des Familles",
            "intitule": "Accueil parents-enfants fictif",
            "departement": "94",
            "montant": {"total": 4999.99, "devise": "EUR"},
            "thematique": [],
            "financeur": "ARS",
        },
    ],
    "page": 1,
    "page_size": 20,
    "total": 3,
    "next_page": None,
    "previous_page": None,
}
UDATA_LINES: list[Line] = [
    (
        "Centre social fictif des Lilas",
        "Ateliers parentalité fictifs",
        "93",
        "COMMISSAIRE_PAUVRETE",
        12000.0,
    ),
    ("Association imaginaire du Canal", "Café des familles fictif", "75", "ARS", 7500.75),
    ("Maison fictive des Familles", "Accueil parents-enfants fictif", "94", "ARS", 4999.99),
]
UDATA_THEMES = ["Parentalité ; Éveil culturel", "Soutien à la parentalité", None]
UDATA_TOTAL = 24500.74


def write_json(path: Path, data: object, indent: int | None = 2, bom: bool = False) -> Path:
    """The export as a portal writes it: UTF-8, accents as they are, pretty-printed by default."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def json_manifest(columns: dict[str, str], read: dict | None = None) -> str:
    """A hand-written manifest for a fictitious JSON list (Bretagne, 2023)."""
    import yaml

    data = {
        "source": {
            "publisher": "ARS fictive (éditeur de test)",
            "url": "https://exemple.invalid/export-fictif.json",
            "retrieved": "2026-01-15",
        },
        "region": "53",
        "year": 2023,
        "campaign": {"id": "bre-2023-json-fictif", "title": "Appel à projets fictif 2023"},
        "table": "awards",
        "read": read or {},
        "columns": columns,
        "defaults": {"funder": "ARS"},
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
