"""Header labels as regions write them → the canonical fields of a manifest's `columns`.

Used by `mille-jours new-source` to propose a mapping; the contributor reviews it.
"""

from __future__ import annotations

import re

from pipelines.common.text import text_key
from pipelines.common.values import funder_code

# Header spellings seen in published lists, per table and canonical field (manifest names).
# Compared with text_key: case, accents and punctuation do not matter.
SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "awards": {
        "beneficiary_name": (
            "Porteur du projet",
            "Porteur de projet",
            "Porteur",
            "Structure porteuse",
            "Structure",
            "Nom de la structure",
            "Bénéficiaire",
            "Nom du bénéficiaire",
            "Organisme",
            "Organisme porteur",
            "Organisme bénéficiaire",
            "Raison sociale",
            "Association",
            "Opérateur",
            "Promoteur",
            "Lauréat",
            "Gestionnaire",
            "Nom du porteur",
            "Nom de l'organisme",
            "Structure bénéficiaire",
            "Porteur de l'action",
            "Nom du lauréat",
            "Organisme gestionnaire",
        ),
        "project_title": (
            "Intitulé du projet",
            "Intitulé",
            "Nom du projet",
            "Titre du projet",
            "Projet",
            "Objet",
            "Objet de la subvention",
            "Libellé du projet",
            "Action",
            "Description du projet",
            "Intitulé de l'action",
            "Action financée",
            "Actions financées",
            "Libellé de l'action",
            "Nom de l'action",
            "Titre de l'action",
            "Projet financé",
            "Intitulé du projet retenu",
            "Objet du projet",
        ),
        "amount_eur": (
            "Montant accordé",
            "Montant attribué",
            "Montant alloué",
            "Montant octroyé",
            "Montant financé",
            "Montant de la subvention",
            "Montant",
            "Montant en euros",
            "Subvention",
            "Subvention accordée",
            "Subvention attribuée",
            "Financement accordé",
            "Crédits alloués",
            "Montant de l'aide",
            "Montant retenu",
            "Montant notifié",
            "Montant du financement",
            "Aide accordée",
            "Aide",
            "Aide attribuée",
            "Financement",
            "Financement attribué",
            "Crédits",
            "Crédits attribués",
            "Somme allouée",
            "Somme attribuée",
            "Dotation",
            "Participation",
        ),
        "department": (
            "Département",
            "Dépt",
            "Dept",
            "Code département",
            "N° département",
            "Territoire",
            "Département d'implantation",
            "Département de mise en œuvre du projet",
            "Département de mise en œuvre",
            "Département du projet",
            "Département d'intervention",
            "Lieu de mise en œuvre",
            "Territoire d'intervention",
            "Département du porteur",
        ),
        "siret": ("SIRET", "N° SIRET", "Numéro SIRET", "SIRET du porteur"),
        "rna": ("N° RNA", "RNA", "Numéro RNA"),
        "volet": ("Volet", "Volet de l'appel à projets"),
        "theme": ("Thématique", "Thème", "Axe", "Axe du projet", "Thématique du projet"),
        "funder": ("Financeur", "Organisme financeur", "Service financeur"),
    },
    "campaign_budgets": {
        "funder": ("Financeur", "Organisme financeur", "Service financeur"),
        "budget_line": ("Ligne budgétaire", "Financement", "Objet", "Programme", "Crédits"),
        "amount_eur": ("Montant", "Enveloppe", "Montant de l'enveloppe", "Montant mobilisé"),
    },
    "campaigns": {
        "declared_awards_count": (
            "Lauréats retenus",
            "Nombre de lauréats",
            "Projets retenus",
            "Nombre de projets",
        ),
        "declared_total_eur": (
            "Montant total",
            "Montant total régional",
            "Montant global financé",
            "Total",
        ),
        "envelope_eur": ("Enveloppe", "Enveloppe régionale", "Budget"),
    },
}
# A requested amount or a project cost is not the amount awarded.
NOT_AWARDED = ("demande", "sollicite", "cout", "budget previsionnel", "reste a charge")
# "Montant ARS", "Subvention DREETS 2024": one amount column per funder.
BY_FUNDER = re.compile(r"^(montant|subvention|financement|credits?|part|dont)\s+(.+)$")
AMOUNT_FIELDS = ("amount_eur", "declared_total_eur", "envelope_eur")


# « Montant (€) », « Subvention (en euros) », « Aide € » are « Montant », « Subvention », « Aide »:
# the unit in euros says nothing more.
_EURO_UNIT = re.compile(r"(?:^| )(?:en )?(?:eur|euros?)(?= |$)")
# « Montant (k€) », « Montant en milliers d'euros », « Subvention (M€) »: a multiplier, which
# `header_unit` reports (new-source proposes read.amount_unit, the doubt `amount_unit` checks it).
_MULTIPLIER_UNIT = re.compile(
    r"(?:^| )(?:en )?(?:(?P<k>k ?eur|k ?euros|milliers? d ?euros|milliers?)"
    r"|(?P<m>m ?eur|m ?euros|millions? d ?euros|millions?))(?= |$)"
)


def header_key(label: str) -> str:
    """A header's text_key without its unit in euros, thousands or millions of euros."""
    key = _MULTIPLIER_UNIT.sub(" ", text_key(label))
    return " ".join(_EURO_UNIT.sub(" ", key).split())


def header_unit(label: str) -> str | None:
    """The unit a header gives its amounts: « k€ », « M€ », « € » (« Montant (€) »), or None."""
    key = text_key(label)
    m = _MULTIPLIER_UNIT.search(key)
    if m:
        return "k€" if m.group("k") else "M€"
    return "€" if _EURO_UNIT.search(key) else None


def not_awarded(label: str) -> bool:
    """« Montant demandé », « Coût total du projet »: an amount, but not the one awarded."""
    key = header_key(label)
    return any(word in key for word in NOT_AWARDED)


# The last key of a JSON path that only says « the name », « the total » of the object above it.
_GENERIC_KEYS = {
    "nom",
    "name",
    "libelle",
    "label",
    "intitule",
    "titre",
    "title",
    "denomination",
    "raison sociale",
    "total",
    "montant",
    "valeur",
    "value",
    "code",
}


def match_header(label: str, spellings: dict[str, tuple[str, ...]]) -> tuple[str, int] | None:
    """The canonical field a header label stands for, and how sure: 2 same spelling, 1 spelling + more words."""
    found = _match(label, spellings)
    parts = label.split(".")
    if found or len(parts) < 2 or not all(p and p == p.strip() for p in parts):
        return found
    # A JSON export's nested key (« porteur.siret », « porteur.nom », « montant.total »): its last
    # key, or the object above when the last key only says « the name » or « the total » of it.
    found = _match(parts[-1], spellings)
    if found is None and text_key(parts[-1]) in _GENERIC_KEYS:
        found = match_header(".".join(parts[:-1]), spellings)
    return (found[0], 1) if found else None


def _match(label: str, spellings: dict[str, tuple[str, ...]]) -> tuple[str, int] | None:
    key = header_key(label)
    if not key:
        return None
    best: tuple[str, int, int] | None = None
    for name, options in spellings.items():
        if name in AMOUNT_FIELDS and any(word in key for word in NOT_AWARDED):
            continue
        for option in options:
            okey = text_key(option)
            if key == okey:
                return name, 2
            # "Montant accordé (en €)" is "Montant accordé"; one generic word alone is too weak.
            if " " in okey and key.startswith(okey + " ") and (best is None or len(okey) > best[2]):
                best = (name, 1, len(okey))
    return (best[0], best[1]) if best else None


def funder_of_column(label: str) -> str | None:
    """ "Montant ARS", "Subvention DREETS 2024", "Montant accordé (€) Commissaire" (a spanning label
    over its sub-label, header on two rows): the funder named after the amount words."""
    m = BY_FUNDER.match(text_key(label))
    if not m or any(word in m.group(2) for word in NOT_AWARDED):
        return None
    words = m.group(2).split(" ")
    for start in range(len(words)):  # "accorde eur ars" → "eur ars" → "ars"
        if words[start] == "par":  # « Montant par département »: a breakdown, not a funder
            return None
        try:
            return funder_code(" ".join(words[start:]))
        except ValueError:
            continue
    return None


def propose_columns(
    labels: list[str], spellings: dict[str, tuple[str, ...]]
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Canonical field -> header, funder -> amount header, and the headers left out."""
    chosen: dict[str, tuple[str, int]] = {}
    by_funder: dict[str, str] = {}
    for label in (x for x in labels if x):
        funder = (
            funder_of_column(label) if "amount_eur" in spellings and "funder" in spellings else None
        )
        if funder and funder not in by_funder:
            by_funder[funder] = label
            continue
        found = match_header(label, spellings)
        if found and (found[0] not in chosen or found[1] > chosen[found[0]][1]):
            chosen[found[0]] = (label, found[1])
    if by_funder:
        # Per-funder amounts win: one award line per funder, the funder known from the column.
        chosen.pop("amount_eur", None)
        chosen.pop("funder", None)
    columns = {name: label for name, (label, _) in chosen.items()}
    used = set(columns.values()) | set(by_funder.values())
    return columns, by_funder, [x for x in labels if x and x not in used]
