"""What is known, region by region and year by year: collected, searched in vain, or not searched."""

from __future__ import annotations

from schemas.fields import foreign_key, region_code_field, year_field
from schemas.spec import Field, Table
from schemas.vocabularies import COVERAGE_KNOWLEDGE, COVERAGE_STATUSES

COVERAGE = Table(
    name="coverage",
    title="Couverture par région et par année",
    description="Une ligne par région du COG et par année de campagne, de 2020 à l'année de la "
    "publication : ce qui est collecté (et à quel point), ce qui a été cherché sans rien trouver de "
    "public (quand, où), et ce qui n'a pas encore été cherché.",
    fields=(
        region_code_field(),
        Field(
            "region_name",
            "string",
            "Région",
            "Nom officiel de la région (COG).",
            required=True,
            example="Centre-Val de Loire",
        ),
        year_field("Année de campagne."),
        Field(
            "status",
            "string",
            "Statut",
            "collected : au moins une campagne de la région cette année-là est dans le paquet ; "
            "searched_nothing_found : cherché, rien de public trouvé (voir searched_on et "
            "searched_where) ; not_searched : pas encore cherché.",
            required=True,
            enum=COVERAGE_STATUSES,
            example="collected",
        ),
        Field(
            "knowledge",
            "string",
            "Ce qui est connu",
            "Pour une case collectée, le plus complet de ce qui est publié : full, liste des "
            "lauréats ; partial, liste partielle (un article de presse) ; totals, nombres ou "
            "montant total annoncés sans liste ; envelope, enveloppe annoncée seulement ; "
            "campaign, campagne connue sans aucun chiffre. Vide sinon.",
            enum=COVERAGE_KNOWLEDGE,
            example="envelope",
        ),
        Field(
            "campaign_ids",
            "string",
            "Campagnes",
            "Identifiants des campagnes de la région cette année-là (table campaigns), séparés "
            "par « ; ».",
            identifier=True,
            example="cvl-2022-aap",
        ),
        Field(
            "searched_on",
            "date",
            "Date de la recherche",
            "Date de la dernière recherche sans résultat public (AAAA-MM-JJ) ; vide si aucune.",
            pattern=r"^\d{4}-\d{2}-\d{2}$",
        ),
        Field(
            "searched_where",
            "string",
            "Où l'on a cherché",
            "Les adresses ou les corpus consultés lors des recherches sans résultat public.",
            identifier=True,
        ),
        Field(
            "search_source_ids",
            "string",
            "Sources des recherches",
            "Identifiants des relevés de recherche (table sources), séparés par « ; ».",
            identifier=True,
            example="france/2026/recherche-hors-ligne",
        ),
    ),
    primary_key=("region_code", "year"),
    foreign_keys=(foreign_key("region_code", "regions"),),
)
