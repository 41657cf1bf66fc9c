"""The files that let a release be cited and deposited: LICENSE, CITATION.cff, .zenodo.json.

All three are derived from the release's descriptor (and the `sources` table), never written by
hand, so that they always name the version, date and identifiers of the data beside them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pipelines.publish import identity
from pipelines.publish.choropleth import CREDIT

CFF_VERSION = "1.2.0"
# Zenodo knows the SPDX ids, etalab-2.0 among them; CFF 1.2.0's licence list has it too.
SPDX_LICENCE = "etalab-2.0"
ORIGIN = (
    "Compilation des listes publiques des appels à projets « 1000 premiers jours » : les données "
    "viennent de leurs éditeurs (ARS, DREETS, préfectures, presse), nommés avec leur adresse et "
    "leur licence dans la table sources (data/sources.csv)."
)


def licence_text(package: dict[str, Any]) -> str:
    """LICENSE: the data's licence (its summary and where its text is), the map's, the sources'."""
    licence = package["licenses"][0]
    credit = CREDIT
    return f"""Licences de « {package["title"]} », version {package["version"]}

1. Les données compilées (data/, datapackage.json, README.md, CHANGELOG.md, index.html)

Publiées sous la {licence["title"]} ({licence["name"]}), d'Etalab.
Texte qui fait foi : {licence["path"]}

Résumé : chacun est libre de réutiliser l'information, y compris à des fins commerciales :
la reproduire, la copier, l'adapter, la modifier, l'extraire et la transformer pour créer des
informations dérivées, la communiquer, la diffuser, la redistribuer et la publier, à condition
de mentionner sa paternité : sa source (au moins le nom du producteur) et la date de sa dernière
mise à jour. Ce résumé n'a pas de valeur juridique : seul le texte à l'adresse ci-dessus engage.

Citer : {identity.citation(package)}

2. Les sources d'origine

Chaque source garde sa propre licence, donnée dans la colonne licence de la table sources
(data/sources.csv), avec son éditeur et son adresse. Chaque fichier brut republié sous sources/
reste sous la licence de sa source.

3. La carte de la page index.html

Fond de carte des départements : paquet {credit["package"]} {credit["version"]},
de {credit["author"]} ({credit["url"]}),
sous licence {credit["licence"]} : {credit["licence_url"]}
"""


def citation_cff(package: dict[str, Any]) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the dataset, its author an organisation."""
    cff: dict[str, Any] = {
        "cff-version": CFF_VERSION,
        "message": "Pour citer ces données, merci d'utiliser les métadonnées de ce fichier.",
        "type": "dataset",
        "title": package["title"],
        "abstract": f"{package['description']} {ORIGIN}",
        "authors": [{"name": identity.AUTHOR}],
        "version": package["version"],
        "date-released": package["created"][:10],
        "identifiers": [
            {
                "type": "other",
                "value": package["id"],
                "description": "Identifiant du jeu de données (toutes versions).",
            },
            {
                "type": "other",
                "value": package["versionId"],
                "description": f"Identifiant de la version {package['version']}.",
            },
        ],
        "license": SPDX_LICENCE,
        "license-url": package["licenses"][0]["path"],
        "keywords": package["keywords"],
    }
    if package.get("homepage"):
        cff["url"] = package["homepage"]
    if identity.repository():
        cff["repository-code"] = identity.repository()
    return yaml.safe_dump(cff, allow_unicode=True, sort_keys=False, width=100)


def zenodo(package: dict[str, Any], sources: pd.DataFrame) -> dict[str, Any]:
    """.zenodo.json: the metadata of a Zenodo deposit of this release."""
    related = [
        {"identifier": package["id"], "relation": "isVersionOf", "scheme": "urn"},
        {"identifier": package["versionId"], "relation": "isIdenticalTo", "scheme": "urn"},
    ]
    if package.get("homepage"):
        related.append(
            {"identifier": package["homepage"], "relation": "isSupplementTo", "scheme": "url"}
        )
    # The public pages the data were compiled from, once each, in the table's order.
    urls = dict.fromkeys(u for u in sources["url"] if isinstance(u, str) and u)
    related += [{"identifier": u, "relation": "isDerivedFrom", "scheme": "url"} for u in urls]
    return {
        "upload_type": "dataset",
        "title": package["title"],
        "description": f"{package['description']} {ORIGIN}",
        "version": package["version"],
        "publication_date": package["created"][:10],
        "creators": [{"name": identity.AUTHOR}],
        "access_right": "open",
        "license": SPDX_LICENCE,
        "language": "fra",
        "keywords": package["keywords"],
        "related_identifiers": related,
        "notes": identity.citation(package),
    }


def write_citable(folder: Path, package: dict[str, Any], sources: pd.DataFrame) -> None:
    (folder / "LICENSE").write_text(licence_text(package), encoding="utf-8")
    (folder / "CITATION.cff").write_text(citation_cff(package), encoding="utf-8")
    (folder / ".zenodo.json").write_text(
        json.dumps(zenodo(package, sources), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
