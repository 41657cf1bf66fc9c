"""How each canonical field is parsed from the publisher's text, and the fix to suggest when it is wrong.

The manifest's own values (constants, funder columns, patterns) are checked by the same parsers
before any row is read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.geography import cog, departement_code, region_code
from pipelines.common.personal import excerpt
from pipelines.common.problems import Problem, SourceError
from pipelines.common.text import slug, text_key
from pipelines.common.values import (
    funder_code,
    parse_amount,
    parse_count,
    parse_rna,
    parse_siret,
)
from pipelines.common.years import parse_year
from pipelines.read.manifest import NATIONAL, Manifest
from schemas.tables import SOURCE_TABLES

# The publisher's wording of a figure, as a qualifier (schemas.vocabularies.QUALIFIERS).
QUALIFIER_WORDS = {
    "exact": "exact",
    "": "exact",
    "minimum": "minimum",
    "au moins": "minimum",
    "a minima": "minimum",
    "plus de": "minimum",
    "maximum": "maximum",
    "au plus": "maximum",
    "jusqu a": "maximum",
    "peut atteindre": "maximum",
    "approximate": "approximate",
    "environ": "approximate",
    "une centaine": "approximate",
    "pres de": "approximate",
}
# What a count of campaign_counts counts.
SUBJECT_WORDS = {
    "laureates": "laureates",
    "laureats": "laureates",
    "projets retenus": "laureates",
    "structures laureates": "laureates",
    "applicants": "applicants",
    "candidatures": "applicants",
    "candidats": "applicants",
    "structures candidates": "applicants",
    "existing projects": "existing_projects",
    "projets existants": "existing_projects",
}


def _from_words(words: dict[str, str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        key = text_key(text)
        if key not in words:
            raise ValueError(
                f"{what} inconnu « {text} » (possibles : "
                f"{', '.join(sorted({k for k in words if k}))})"
            )
        return words[key]

    return parse


# Columns read as euros (parsed by column with parse_amounts), and as whole numbers.
AMOUNT_COLUMNS = {f.name for t in SOURCE_TABLES.values() for f in t.fields if f.type == "number"}
INTEGER_COLUMNS = {f.name for t in SOURCE_TABLES.values() for f in t.fields if f.type == "integer"}

FIXES = {
    "funder": "écrire un financeur connu (ARS, DREETS, DEETS, Commissaire pauvreté, CAF, "
    "Conseil départemental, Région, commune, CPAM, MSA, DRAC…)",
    "department_code": "écrire le code INSEE ou le nom exact du département de la région",
    "beneficiary_siret": "vérifier les 14 chiffres du SIRET (annuaire-entreprises.data.gouv.fr) ou laisser vide",
    "beneficiary_rna": "écrire le numéro RNA sous la forme W123456789 ou laisser vide",
    # A whole paragraph in the name's or the title's cell is a column mixed up, never cut short here.
    "beneficiary_name": "écrire le nom de l'organisme seul, sans sa description (la colonne du "
    "manifeste est peut-être la mauvaise)",
    "project_title": "écrire l'intitulé seul, sans la description du projet (la colonne du "
    "manifeste est peut-être la mauvaise)",
    # A line without its own year stays rejected: never guessed, never filed under the folder's year.
    "year": "écrire l'année de la campagne de cette ligne, quatre chiffres (ex. 2023), si l'éditeur "
    "la publie ; sinon la ligne reste rejetée",
}


def parser_for(name: str, decimal: str, region: str | None) -> Callable[[str], Any] | None:
    table_field = None
    for t in SOURCE_TABLES.values():
        if name in t.columns:
            table_field = t.field(name)
            break
    if name in ("funder", "declared_funder"):
        return funder_code
    if name == "qualifier" or (name.endswith("_qualifier") and name != "year_qualifier"):
        return _from_words(QUALIFIER_WORDS, "précision")
    if name == "subject":
        return _from_words(SUBJECT_WORDS, "objet")
    if name == "department_code":

        def department(text: str) -> str:
            code = departement_code(text)
            if code is None:
                raise ValueError(f"département inconnu « {text} »")
            d = cog().departements[code]
            if region is not None and d.region_code != region:
                raise ValueError(
                    f"département {code} ({d.name}) hors de la région {region} "
                    f"({cog().regions[region]}) de la source"
                )
            return code

        return department
    if name == "beneficiary_siret":
        return parse_siret
    if name == "beneficiary_rna":
        return parse_rna
    if name == "year":  # a list over several campaign years (columns.year)
        return parse_year
    if table_field is not None and table_field.type == "number":
        return lambda text: parse_amount(text, decimal)
    if table_field is not None and table_field.type == "integer":
        return parse_count
    return None


def fix_for(name: str) -> str:
    if name in FIXES:
        return FIXES[name]
    if "eur" in name:
        return (
            "écrire un montant en euros, par exemple 12 500,00 € (read.decimal pour le séparateur)"
        )
    return "corriger la valeur dans le fichier"


def check_manifest_values(manifest: Manifest, path: Path) -> None:
    """Values of the manifest the schema cannot judge alone: constants, funder columns, patterns."""

    def refuse(key: str, message: str, fix: str) -> SourceError:
        return SourceError(path, message, place=f"clé {key}", fix=fix, status="bad_manifest")

    for name, value in manifest.constant_values.items():
        parser = parser_for(name, manifest.read.decimal, manifest.region_code)
        if parser is None or value is None:
            continue
        try:
            parser(str(value))
        except ValueError as exc:
            raise refuse(
                f"defaults.{name}", f"valeur par défaut refusée : {exc}", fix_for(name)
            ) from None
    seen: dict[str, str] = {}
    for funder in manifest.funder_amount_columns:
        try:
            code = funder_code(funder)
        except ValueError as exc:
            raise refuse("columns.amount_eur_by_funder", str(exc), fix_for("funder")) from None
        if code in seen:
            raise refuse(
                "columns.amount_eur_by_funder",
                f"« {seen[code]} » et « {funder} » désignent le même financeur ({code})",
                "une seule colonne par financeur",
            ) from None
        seen[code] = funder
    for pattern in manifest.read.skip_rows_matching:
        # RE2 (Arrow's engine) only: its time is linear in the text, so a pattern such as « (a+)+$ »
        # cannot hang a run; what RE2 refuses (back-references, look-arounds) is refused here.
        try:
            pc.match_substring_regex(pa.array([""]), f"(?:{pattern})", ignore_case=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise refuse(
                "read.skip_rows_matching",
                f"expression régulière invalide ou non permise « {excerpt(pattern)} » "
                "(mal formée, ou hors de la syntaxe RE2 : ni référence arrière, ni regard avant ou arrière)",
                'écrire une expression simple, par exemple "^Sous-total" (syntaxe RE2)',
            ) from None


def manifest_warnings(manifest: Manifest) -> list[Problem]:
    """What the manifest leaves out that a reader of the data will miss: the project's title."""
    if (
        manifest.table != "awards"
        or "project_title" in manifest.mapped_columns
        or "project_title" in manifest.constant_values
    ):
        return []
    return [
        Problem(
            None,
            "manifeste, clé columns",
            "project_title",
            None,
            "aucune colonne n'est associée à l'intitulé du projet (project_title) : les lauréats seront "
            "publiés sans dire ce qu'ils financent",
            "ajouter sous columns « project_title: <en-tête tel qu'écrit> » (« Intitulé de l'action », "
            "« Objet »…), ou laisser ainsi si la liste ne le publie pas",
            severity="warning",
            code="no_project_title",
        )
    ]


def check_provenance(manifest: Manifest, path: Path) -> None:
    """A manifest under raw/<region>/<year>/ says that region and that year: the folder is the truth
    a reviewer sees, the manifest's values are what gets published."""
    year_dir, region_dir = path.parent, path.parent.parent
    if region_dir.parent.name != "raw":
        return  # a file checked outside raw/ (a contributor's download folder): nothing to compare
    if year_dir.name.isdigit() and int(year_dir.name) != manifest.year:
        raise SourceError(
            path,
            f"year vaut {manifest.year} mais le fichier est rangé sous {year_dir.name}/",
            place="clé year",
            status="bad_manifest",
            fix=f"corriger year, ou ranger la source sous raw/{region_dir.name}/{manifest.year}/",
        )
    region = manifest.region_code
    if region is None:  # a national campaign (region: France) lives under raw/france/
        if text_key(region_dir.name) in NATIONAL:
            return
        raise SourceError(
            path,
            f"region vaut France (campagne nationale) mais le fichier est rangé sous "
            f"{region_dir.name}/",
            place="clé region",
            status="bad_manifest",
            fix="corriger region, ou ranger la source sous raw/france/",
        )
    name = cog().regions[region]
    folder_code = region_code(region_dir.name)
    key, name_key = text_key(region_dir.name), text_key(name)
    if folder_code == region or (
        folder_code is None and (key == name_key or key.startswith(name_key + " "))
    ):
        return
    raise SourceError(
        path,
        f"region vaut {region} ({name}) mais le fichier est rangé sous {region_dir.name}/",
        place="clé region",
        status="bad_manifest",
        fix=f"corriger region, ou ranger la source sous le dossier de sa région (raw/{slug(name)}/)",
    )
