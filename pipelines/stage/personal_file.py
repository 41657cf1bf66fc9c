"""Personal data anywhere in the file, beyond the table the reading looks at: other sheets (hidden
ones too), cell comments, the document's properties (custom ones too), every page of a PDF and its
annotations, the text of a web page around its table. raw/ is published as is, so such a source is
held back like one with personal data in its rows (`personal_*` warnings block it), each warning
saying where to look and what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pypdfium2 as pdfium
from lxml import etree
from python_calamine import CalamineError

from pipelines.common import personal
from pipelines.common.problems import Problem
from pipelines.read.inspection import Passage, passages
from pipelines.read.layout import RawTable
from pipelines.read.manifest import Manifest
from pipelines.stage.cell_search import warning
from pipelines.stage.personal_data import UNINSPECTED_CODE, found_texts

INSPECTED = ("xlsx", "ods", "docx", "html", "pdf")
_SHOWN = 3  # places named in one warning; the rest are counted


def personal_outside(manifest: Manifest, raw: RawTable, data_path: Path, fmt: str) -> list[Problem]:
    """One warning per place and kind of personal data found outside what the reading reported."""
    if fmt not in INSPECTED:
        return []
    try:
        found = list(passages(data_path, fmt, manifest.read))
    except (
        zipfile.BadZipFile,
        etree.LxmlError,
        CalamineError,
        pdfium.PdfiumError,
        OSError,
        ValueError,
        KeyError,
    ) as exc:
        return [_uninspected("le fichier", type(exc).__name__)]
    already: set[str] | None = None  # what the reading reports itself, looked up when needed
    hits: dict[tuple[str, str], list[tuple[Passage, str]]] = {}
    out = []
    for passage in found:
        if passage.kind == "too_large":
            out.append(_uninspected(passage.area, "partie trop grande"))
            continue
        if passage.kind == "author" and personal.names_a_person(passage.text):
            hits.setdefault((passage.area, "personal_name"), []).append((passage, passage.text))
            continue
        for one in personal.find(passage.text):
            if passage.read:
                already = found_texts(raw) if already is None else already
                if one.text in already:
                    continue
            hits.setdefault((passage.area, one.code), []).append((passage, one.text))
    for (area, code), same in hits.items():
        out.append(_warning(area, code, same))
    return out


def _warning(area: str, code: str, same: list[tuple[Passage, str]]) -> Problem:
    spots = list(dict.fromkeys(p.spot for p, _ in same if p.spot))
    shown = ", ".join(spots[:_SHOWN]) + (
        f" et {len(spots) - _SHOWN} autres" if len(spots) > _SHOWN else ""
    )
    where = f"{area}, {shown}" if shown else area
    examples = list(dict.fromkeys(_masked(p, text, code) for p, text in same))[:2]
    count = f"{len(same)} occurrences, " if len(same) > 1 else ""
    authors = all(p.kind == "author" for p, _ in same)
    what = "nom de personne" if authors else personal.KINDS[code]
    return warning(
        None,
        where,
        None,
        ", ".join(examples),
        f"{what} dans le fichier ({where}) : {count}donnée personnelle, publiée avec le fichier "
        "(raw/ est public)",
        _fix(area),
        code,
    )


def _masked(passage: Passage, text: str, code: str) -> str:
    if passage.kind == "author":  # a name alone: its initials
        return " ".join(f"{w[:1]}…" for w in text.split())
    return personal.mask(text, code)


def _fix(area: str) -> str:
    then = "puis l'enregistrer de nouveau (réexporter) avant de le soumettre"
    if "annotation" in area:
        return (
            "supprimer cette annotation du PDF (panneau Commentaires de la visionneuse), "
            "puis l'enregistrer de nouveau avant de le soumettre"
        )
    if area.startswith("propriétés personnalisées"):
        return (
            "supprimer cette propriété personnalisée (Excel, Word : Fichier > Informations > "
            "Propriétés > Propriétés avancées, onglet Personnalisation ; LibreOffice : Fichier > "
            f"Propriétés, onglet Propriétés personnalisées), {then}"
        )
    if area.startswith(("propriétés", "auteur")):
        return (
            "effacer ce nom des propriétés du document (Excel, Word : Fichier > Informations > "
            "Inspecter le document ; LibreOffice : Fichier > Propriétés, « Supprimer les données "
            f"personnelles à l'enregistrement »), {then}"
        )
    if area.startswith("commentaire"):
        return f"supprimer ce commentaire du fichier, {then}"
    if area.startswith("feuille"):
        return f"retirer ces données de la feuille (ou supprimer la feuille si elle n'est pas publiée), {then}"
    if area.startswith("page"):
        return "retirer ces données de cette page du document, puis réexporter le PDF"
    if "HTML" in area:
        return "retirer ce texte de la page enregistrée (ou ne déposer que le tableau publié)"
    return f"retirer ces données du fichier, {then}"


def _uninspected(area: str, why: str) -> Problem:
    return warning(
        None,
        area,
        None,
        None,
        f"{area} : inspection des données personnelles impossible ({why}) ; raw/ est public, "
        "le fichier entier doit pouvoir être vérifié",
        "réexporter le fichier depuis le logiciel d'origine (sans commentaires ni feuilles "
        "superflues), puis vérifier avec `mille-jours validate`",
        UNINSPECTED_CODE,
    )
