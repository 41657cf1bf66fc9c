"""Reference tables: the regions and départements of the COG, and the known funders."""

from __future__ import annotations

from schemas.fields import (
    COG_SOURCE,
    COG_URL,
    COG_VINTAGE,
    DEPARTEMENT_CODE,
    foreign_key,
    region_code_field,
)
from schemas.populations import population_fields
from schemas.spec import Field, Table
from schemas.vocabularies import (
    FUNDER_CODES,
)

REGIONS = Table(
    name="regions",
    title="Régions",
    description=f"Référentiel des régions selon le Code officiel géographique de l'INSEE, millésime "
    f"{COG_VINTAGE} ({COG_SOURCE} ; {COG_URL}).",
    fields=(
        region_code_field(),
        Field(
            "region_name",
            "string",
            "Nom de la région",
            "Nom officiel de la région (COG).",
            required=True,
            example="Centre-Val de Loire",
        ),
        *population_fields("de la région", "2587031"),
    ),
    primary_key=("region_code",),
)

DEPARTEMENTS = Table(
    name="departements",
    title="Départements",
    description=f"Référentiel des départements selon le Code officiel géographique de l'INSEE, millésime "
    f"{COG_VINTAGE} ({COG_SOURCE} ; {COG_URL}).",
    fields=(
        Field(
            "department_code",
            "string",
            "Code département",
            "Code INSEE du département : deux caractères (01, 2A, 2B) ou trois outre-mer (971).",
            required=True,
            pattern=DEPARTEMENT_CODE,
            example="37",
        ),
        Field(
            "department_name",
            "string",
            "Nom du département",
            "Nom officiel du département (COG).",
            required=True,
            example="Indre-et-Loire",
        ),
        region_code_field("Code INSEE de la région du département."),
        *population_fields("du département", "619362"),
    ),
    primary_key=("department_code",),
    foreign_keys=(foreign_key("region_code", "regions"),),
)

FUNDERS = Table(
    name="funders",
    title="Financeurs",
    description="Vocabulaire des financeurs des appels à projets 1000 premiers jours.",
    fields=(
        Field(
            "funder",
            "string",
            "Financeur",
            "Code court du financeur.",
            required=True,
            enum=FUNDER_CODES,
            example="ARS",
        ),
        Field(
            "funder_name",
            "string",
            "Nom du financeur",
            "Nom complet du financeur.",
            required=True,
            example="Agence régionale de santé",
        ),
        Field("description", "string", "Description", "Nature du financeur et de ses crédits."),
    ),
    primary_key=("funder",),
)
