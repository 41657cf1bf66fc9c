"""National lines of the « 1000 premiers jours » policy that are no regional call (contracts with the
départements' PMI, the RéPAP experiment): published apart, never added to the calls' figures."""

from __future__ import annotations

from schemas.fields import (
    YEAR_MAX,
    YEAR_MIN,
    amount_field,
    foreign_key,
    qualifier_field,
    source_id_field,
    source_row_field,
    year_qualifier_field,
)
from schemas.spec import Field, Table
from schemas.vocabularies import ANNOUNCED_QUALIFIERS, CAMPAIGN_SCOPES, NATIONAL_PROGRAMMES


def _year(name: str, title: str, description: str, required: bool) -> Field:
    return Field(
        name,
        "integer",
        title,
        description,
        required=required,
        minimum=YEAR_MIN,
        maximum=YEAR_MAX,
        example="2021",
    )


NATIONAL_LINES = Table(
    name="national_lines",
    title="Lignes nationales de la même politique",
    description="Financements nationaux de la politique des 1000 premiers jours qui ne sont pas des "
    "appels à projets régionaux (contrats avec les PMI des départements, expérimentation RéPAP) : "
    "tenus à part, jamais additionnés aux campagnes ni à funding_by_region_year. Une ligne par "
    "chiffre annoncé ; un chiffre révisé est une ligne de plus, l'annonce première reste.",
    fields=(
        Field(
            "line_id",
            "string",
            "Ligne",
            "Identifiant stable de la ligne nationale.",
            required=True,
            pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
            example="pmi-2021",
        ),
        Field(
            "title",
            "string",
            "Intitulé",
            "Intitulé de la ligne, tel que la source la nomme.",
            required=True,
        ),
        Field(
            "programme",
            "string",
            "Dispositif",
            "pmi_contracts : contrats entre l'État et les départements pour la protection "
            "maternelle et infantile ; repap : expérimentation du référent parcours périnatalité "
            "(article 51).",
            required=True,
            enum=NATIONAL_PROGRAMMES,
        ),
        Field(
            "scope",
            "string",
            "Échelle",
            "national : la ligne n'est celle d'aucune région.",
            required=True,
            enum=CAMPAIGN_SCOPES,
        ),
        _year("year_start", "Année de début", "Année (ou première année) du chiffre.", True),
        year_qualifier_field(" Probable pour un chiffre que la source ne date pas."),
        _year(
            "year_end",
            "Année de fin",
            "Dernière année couverte quand le chiffre porte sur une période ; vide sinon.",
            False,
        ),
        Field(
            "period",
            "string",
            "Période",
            "La période telle que la source la dit (« pour les 24 mois de l'expérimentation »).",
        ),
        amount_field("amount_eur", "Montant (€)", "Montant annoncé en euros.", required=True),
        qualifier_field("amount_qualifier", "le montant", ANNOUNCED_QUALIFIERS),
        Field(
            "beneficiaries_count",
            "integer",
            "Bénéficiaires annoncés",
            "Nombre de bénéficiaires annoncé (départements pour les contrats PMI) ; vide sinon.",
            minimum=0,
        ),
        Field(
            "beneficiaries_kind",
            "string",
            "Bénéficiaires",
            "Ce que compte beneficiaries_count, tel que la source le dit (départements).",
        ),
        qualifier_field(
            "beneficiaries_qualifier", "le nombre de bénéficiaires", ANNOUNCED_QUALIFIERS
        ),
        source_id_field("Source d'où vient le chiffre ; la phrase citée est dans sources.note."),
        source_row_field(),
    ),
    primary_key=("line_id",),
    foreign_keys=(foreign_key("source_id", "sources"),),
)
