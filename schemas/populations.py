"""The populations the package divides by: INSEE's legal populations (« populations de référence »)
per département and region, vendored in schemas/populations_insee.csv (see populations_insee.md)."""

from __future__ import annotations

from schemas.spec import Field

POPULATION_SOURCE = (
    "INSEE, populations de référence (dites légales) millésime 2023, en vigueur au 1er janvier 2026, "
    "population municipale sommée sur les communes ; Mayotte : recensement de 2017 ; reprises du "
    "paquet @etalab/decoupage-administratif 6.0.0 (Licence Ouverte)"
)
POPULATION_URL = "https://www.insee.fr/fr/statistiques/8680726?sommaire=8681011"


def population_fields(where: str, example: str) -> tuple[Field, Field]:
    """`population` and the year it counts, for the table of `where` (« du département »)."""
    return (
        Field(
            "population",
            "integer",
            "Population",
            f"Population municipale {where} au 1er janvier de population_year ({POPULATION_SOURCE} ; "
            f"{POPULATION_URL}).",
            required=True,
            minimum=0,
            example=example,
        ),
        Field(
            "population_year",
            "integer",
            "Année de la population",
            "Année à laquelle la population est comptée : 2023 (populations de référence en vigueur "
            "au 1er janvier 2026), 2017 pour Mayotte (dernier chiffre de référence repris par le "
            "paquet source).",
            required=True,
            minimum=2000,
            example="2023",
        ),
    )
