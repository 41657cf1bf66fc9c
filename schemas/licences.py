"""The licences a source may be published under: a closed list, declared once.

A manifest's `source.licence` is one of these ids; anything else (« Tous droits réservés », a
licence of its own) is refused, since every source is republished under `published/sources/`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    id: str
    title: str
    path: str  # where the licence or its legal ground is written
    # Figures quoted from a publication rather than a file under a licence: the quote must be kept
    # (`source.note`), since it is all that is published of the source.
    needs_note: bool = False

    def descriptor(self) -> dict[str, str]:
        """As a Data Package `licenses` item."""
        return {"name": self.id, "title": self.title, "path": self.path}


LICENCES: tuple[Licence, ...] = (
    Licence(
        "etalab-2.0",
        "Licence Ouverte / Open Licence version 2.0",
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    ),
    Licence(
        "odbl-1.0",
        "Open Database License (ODbL) 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    Licence(
        "cc-by-4.0",
        "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "https://creativecommons.org/licenses/by/4.0/deed.fr",
    ),
    Licence(
        "cc0-1.0",
        "Creative Commons Zero 1.0 (domaine public)",
        "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
    ),
    Licence(
        "information-publique",
        "Information publique citée (chiffres d'une publication d'une autorité publique ou de "
        "presse, réutilisés comme information publique, CRPA art. L321-1)",
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000031366350",
        needs_note=True,
    ),
)
LICENCES_BY_ID: dict[str, Licence] = {licence.id: licence for licence in LICENCES}
LICENCE_IDS: tuple[str, ...] = tuple(LICENCES_BY_ID)
DEFAULT_LICENCE = "etalab-2.0"
