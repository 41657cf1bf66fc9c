"""Exports of démarches-simplifiées (one row per dossier): recognised, and made publishable.

Such an export holds every dossier, refused and abandoned ones included, and the applicants'
personal details (civility, first and last names, e-mail, phone). raw/ is public: `new-source`
writes a copy without those columns beside the export, drafts the manifest of that copy with a
filter on « État du dossier » = accepté, and tells the contributor to keep the export private.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipelines.common.text import text_key
from pipelines.read.layout import PLACE, ROW, RawTable
from pipelines.read.readers import GridRow
from pipelines.stage.personal_data import personal_data

STATE_COLUMN = "État du dossier"
ACCEPTED = "accepté"
# Columns only a démarches-simplifiées export has, besides its « État du dossier ».
_MARKERS = {
    "id",
    "numero de dossier",
    "dossier",
    "depose le",
    "passe en instruction le",
    "traite le",
    "derniere mise a jour le",
    "motivation de la decision",
    "instructeurs",
}
# A person, never an organisation: « Nom » alone, « Prénom », « Civilité », contacts.
_PERSON_KEYS = {
    "civilite",
    "nom",
    "prenom",
    "nom prenom",
    "prenom nom",
    "nom et prenom",
    "email",
    "e mail",
    "mail",
    "courriel",
    "telephone",
    "tel",
    "portable",
    "mobile",
    "instructeurs",
    "instructeur",
}
_PERSON_WORDS = (
    "civilite",
    "prenom",
    "mail",
    "courriel",
    "telephone",
    "adresse electronique",
    "portable",
    "instructeur",
)
_PERSON_PREFIXES = (
    "nom du referent",
    "nom du demandeur",
    "nom du contact",
    "nom du responsable",
    "nom du representant",
    "nom de la personne",
    "mandataire",
    "tel ",
)


def is_export(labels: list[str]) -> bool:
    keys = {text_key(x) for x in labels if x}
    return text_key(STATE_COLUMN) in keys and len(keys & _MARKERS) >= 2


def personal_columns(raw: RawTable) -> list[int]:
    """Positions of the columns naming a person or a contact, or holding an e-mail or a phone number."""
    found = {i for i, label in enumerate(raw.labels) if _is_person(label)}
    columns = [c for c in raw.frame.columns if c not in (ROW, PLACE)]
    found |= {columns.index(p.column) for p in personal_data(raw) if p.column in columns}
    return sorted(found)


def _is_person(label: str) -> bool:
    key = text_key(label)
    return (
        key in _PERSON_KEYS
        or any(w in key for w in _PERSON_WORDS)
        or key.startswith(_PERSON_PREFIXES)
    )


def publishable_copy(
    export: Path, rows: list[GridRow], drop: list[int]
) -> tuple[Path, bytes, list[GridRow]]:
    """The copy to place in raw/: every row, without the personal columns, as a UTF-8 « ; » CSV."""
    kept = [
        GridRow(r.number, None, tuple(c for i, c in enumerate(r.cells) if i not in drop))
        for r in rows
    ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for r in kept:
        writer.writerow(["" if c is None else c for c in r.cells])
    return export.with_name(f"{export.stem}-publiable.csv"), out.getvalue().encode("utf-8"), kept
