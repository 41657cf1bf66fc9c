"""The awards, one row per funded project and funder, and their beneficiaries."""

from __future__ import annotations

from schemas.fields import (
    CAMPAIGN_ID,
    DEPARTEMENT_CODE,
    RNA,
    SIRET,
    YEAR_MAX,
    YEAR_MIN,
    amount_field,
    foreign_key,
    region_code_field,
    source_id_field,
    source_row_field,
    year_field,
    year_qualifier_field,
)
from schemas.limits import BENEFICIARY_NAME_MAX, CAMPAIGN_ID_MAX, PROJECT_TITLE_MAX
from schemas.spec import Field, ForeignKey, Table
from schemas.vocabularies import (
    FUNDER_CODES,
)

AWARDS = Table(
    name="awards",
    title="Subventions attribuées",
    description="Une ligne par projet financé et par financeur.",
    fields=(
        Field(
            "award_id",
            "string",
            "Identifiant",
            "Identifiant stable de la ligne de subvention.",
            required=True,
            unique=True,
            identifier=True,
        ),
        Field(
            "campaign_id",
            "string",
            "Campagne",
            "Campagne qui a financé le projet.",
            required=True,
            pattern=CAMPAIGN_ID,
            max_length=CAMPAIGN_ID_MAX,
        ),
        region_code_field(),
        year_field("Année de la campagne."),
        # Not required of a staged line: set at consolidation from its campaign, on every line.
        year_qualifier_field(
            " Celle de la campagne (campaigns), sur chaque ligne.", required=False
        ),
        Field(
            "department_code",
            "string",
            "Code département",
            "Code INSEE du département du projet, quand la source le donne.",
            pattern=DEPARTEMENT_CODE,
        ),
        Field(
            "beneficiary_id",
            "string",
            "Bénéficiaire",
            "Identifiant du bénéficiaire (table beneficiaries).",
            required=True,
            identifier=True,
        ),
        Field(
            "beneficiary_name",
            "string",
            "Nom du bénéficiaire",
            "Porteur du projet, tel que publié.",
            required=True,
            max_length=BENEFICIARY_NAME_MAX,
        ),
        Field(
            "beneficiary_siret",
            "string",
            "SIRET",
            "SIRET du bénéficiaire, vérifié (clé de Luhn).",
            pattern=SIRET,
        ),
        Field(
            "beneficiary_rna",
            "string",
            "RNA",
            "Numéro au répertoire national des associations.",
            pattern=RNA,
        ),
        Field(
            "project_title",
            "string",
            "Intitulé du projet",
            "Intitulé ou objet du projet.",
            max_length=PROJECT_TITLE_MAX,
        ),
        Field("volet", "string", "Volet", "Volet de l'appel à projets, tel que publié."),
        Field("theme", "string", "Thème", "Thème ou axe du projet, tel que publié."),
        Field(
            "funder",
            "string",
            "Financeur",
            "Code du financeur de la ligne (NC quand la source ne le dit pas).",
            required=True,
            enum=FUNDER_CODES,
        ),
        amount_field(
            "amount_eur",
            "Montant (€)",
            "Montant attribué par ce financeur ; vide quand l'éditeur ne l'a pas publié "
            "(jamais estimé).",
        ),
        source_id_field(),
        source_row_field(),
    ),
    primary_key=("award_id",),
    foreign_keys=(
        foreign_key("campaign_id", "campaigns"),
        foreign_key("region_code", "regions"),
        foreign_key("department_code", "departements"),
        foreign_key("beneficiary_id", "beneficiaries"),
        foreign_key("funder", "funders"),
        foreign_key("source_id", "sources"),
    ),
)

BENEFICIARIES = Table(
    name="beneficiaries",
    title="Bénéficiaires",
    description="Une ligne par organisation bénéficiaire distincte, toutes régions et années "
    "confondues, pour relier les reconductions.",
    fields=(
        Field(
            "beneficiary_id",
            "string",
            "Bénéficiaire",
            "Identifiant stable du bénéficiaire.",
            required=True,
            identifier=True,
        ),
        Field(
            "beneficiary_name",
            "string",
            "Nom",
            "Nom le plus récent sous lequel il a été publié.",
            required=True,
            max_length=BENEFICIARY_NAME_MAX,
        ),
        Field(
            "beneficiary_siret",
            "string",
            "SIRET",
            "SIRET, quand une source le donne.",
            pattern=SIRET,
        ),
        Field(
            "beneficiary_rna",
            "string",
            "RNA",
            "Numéro RNA, quand une source le donne.",
            pattern=RNA,
        ),
        Field(
            "match_key",
            "string",
            "Clé de rapprochement",
            "siret:…, rna:… ou name:<région>:<nom normalisé> : ce qui relie les lignes entre elles.",
            required=True,
        ),
        Field(
            "awards_count",
            "integer",
            "Lignes de subvention",
            "Nombre de lignes dans awards.",
            required=True,
            minimum=1,
        ),
        Field(
            "first_year",
            "integer",
            "Première année",
            "Première année financée.",
            required=True,
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "last_year",
            "integer",
            "Dernière année",
            "Dernière année financée.",
            required=True,
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
    ),
    primary_key=("beneficiary_id",),
)

BENEFICIARY_REVIEW = Table(
    name="beneficiary_review",
    title="Rapprochements de bénéficiaires à vérifier",
    description="Paires de bénéficiaires qui pourraient être la même organisation mais n'ont pas été "
    "fusionnées (noms proches, même nom dans deux régions, même nom avec deux SIRET).",
    fields=(
        Field(
            "beneficiary_id",
            "string",
            "Bénéficiaire",
            "Premier bénéficiaire de la paire.",
            required=True,
            identifier=True,
        ),
        Field(
            "candidate_id",
            "string",
            "Candidat",
            "Second bénéficiaire, peut-être le même.",
            required=True,
            identifier=True,
        ),
        Field("reason", "string", "Raison", "Pourquoi la paire est à vérifier.", required=True),
        Field(
            "similarity",
            "number",
            "Similarité",
            "Similarité des noms normalisés (0 à 1).",
            required=True,
            minimum=0,
            maximum=1,
        ),
    ),
    primary_key=("beneficiary_id", "candidate_id"),
    foreign_keys=(
        foreign_key("beneficiary_id", "beneficiaries"),
        ForeignKey(("candidate_id",), "beneficiaries", ("beneficiary_id",)),
    ),
)
