"""Campaigns, their announced counts and envelopes, and the funding per region and year."""

from __future__ import annotations

from schemas.fields import (
    CAMPAIGN_ID,
    DEPARTEMENT_CODE,
    amount_field,
    foreign_key,
    qualifier_field,
    region_code_field,
    source_id_field,
    source_row_field,
    year_field,
    year_qualifier_field,
)
from schemas.limits import CAMPAIGN_ID_MAX, CAMPAIGN_TITLE_MAX
from schemas.spec import Field, Table
from schemas.vocabularies import (
    ANNOUNCED_QUALIFIERS,
    CAMPAIGN_KINDS,
    CAMPAIGN_SCOPES,
    COUNT_SUBJECTS,
    FUNDER_CODES,
)

CAMPAIGNS = Table(
    name="campaigns",
    title="Campagnes",
    description="Une ligne par campagne (appel à projets, reconduction, formation), régionale ou "
    "nationale, avec les chiffres annoncés par l'éditeur et la façon dont il les formule.",
    fields=(
        Field(
            "campaign_id",
            "string",
            "Campagne",
            "Identifiant stable de la campagne.",
            required=True,
            pattern=CAMPAIGN_ID,
            max_length=CAMPAIGN_ID_MAX,
            example="cvl-2022-aap",
        ),
        Field(
            "scope",
            "string",
            "Échelle",
            "regional : campagne d'une région ; national : appel ou cadre national (sans région).",
            required=True,
            enum=CAMPAIGN_SCOPES,
            example="regional",
        ),
        region_code_field(
            "Code INSEE de la région (COG), sur deux caractères ; vide pour une campagne "
            "nationale.",
            required=False,
        ),
        year_field("Année de la campagne."),
        year_qualifier_field(),
        Field(
            "title",
            "string",
            "Intitulé",
            "Intitulé de la campagne tel que publié.",
            required=True,
            max_length=CAMPAIGN_TITLE_MAX,
        ),
        Field(
            "kind",
            "string",
            "Type",
            "call : appel à projets ; renewal : reconduction de projets ; training : formation "
            "des professionnels ; expression_of_interest : appel à manifestation d'intérêt ; "
            "frame : niveau national des appels régionaux d'une année (leur règle, leur bilan), "
            "qui n'est pas un appel de plus.",
            required=True,
            enum=CAMPAIGN_KINDS,
        ),
        amount_field(
            "envelope_eur",
            "Enveloppe (€)",
            "Budget de la campagne, tous financeurs : annoncé par l'éditeur, ou somme des "
            "enveloppes par financeur de campaign_budgets (envelope_qualifier = sum).",
        ),
        qualifier_field("envelope_qualifier", "l'enveloppe"),
        Field(
            "declared_awards_count",
            "integer",
            "Lauréats annoncés",
            "Nombre de projets retenus annoncé par l'éditeur.",
            minimum=0,
        ),
        qualifier_field("declared_awards_qualifier", "le nombre de lauréats", ANNOUNCED_QUALIFIERS),
        amount_field(
            "declared_total_eur",
            "Montant total annoncé (€)",
            "Montant total attribué annoncé par l'éditeur.",
        ),
        qualifier_field("declared_total_qualifier", "le montant total", ANNOUNCED_QUALIFIERS),
        Field(
            "declared_funder",
            "string",
            "Financeur des chiffres annoncés",
            "Financeur que l'annonce nomme pour le nombre de lauréats et le montant total (« une "
            "subvention totale de l'État ») ; vide quand elle n'en nomme pas (ligne NC de "
            "funding_by_region_year).",
            enum=FUNDER_CODES,
        ),
        amount_field(
            "award_cap_eur",
            "Plafond par projet (€)",
            "Montant maximal d'une subvention annoncé par l'appel (« peut atteindre 10 000 € par "
            "porteur »).",
        ),
        Field(
            "application_deadline",
            "date",
            "Date limite de dépôt",
            "Date limite de dépôt des candidatures annoncée (AAAA-MM-JJ).",
            pattern=r"^\d{4}-\d{2}-\d{2}$",
        ),
        amount_field(
            "regional_envelope_min_eur",
            "Dotation minimale par appel régional (€)",
            "Pour un cadre national : montant minimal que chaque appel régional doit attribuer.",
        ),
        source_id_field("Source principale décrivant la campagne."),
    ),
    primary_key=("campaign_id",),
    foreign_keys=(
        foreign_key("region_code", "regions"),
        foreign_key("declared_funder", "funders", "funder"),
        foreign_key("source_id", "sources"),
    ),
)

CAMPAIGN_COUNTS = Table(
    name="campaign_counts",
    title="Nombres annoncés par campagne",
    description="Nombres annoncés pour une campagne sans liste nominative : lauréats par département "
    "ou par thème, candidatures, projets existants ; avec la formulation de l'éditeur.",
    fields=(
        Field(
            "campaign_id",
            "string",
            "Campagne",
            "Campagne concernée.",
            required=True,
            pattern=CAMPAIGN_ID,
        ),
        Field(
            "subject",
            "string",
            "Objet",
            "laureates : projets retenus ; applicants : structures candidates ; existing_projects : "
            "projets qui existent déjà.",
            required=True,
            enum=COUNT_SUBJECTS,
            example="laureates",
        ),
        Field(
            "department_code",
            "string",
            "Code département",
            "Département dont le nombre est donné ; vide pour toute la campagne.",
            pattern=DEPARTEMENT_CODE,
        ),
        Field(
            "theme",
            "string",
            "Thème",
            "Thème dont le nombre est donné, tel que publié ; vide sinon.",
        ),
        Field("count", "integer", "Nombre", "Nombre annoncé.", required=True, minimum=0),
        qualifier_field("count_qualifier", "le nombre", ANNOUNCED_QUALIFIERS),
        source_id_field(),
        source_row_field(),
    ),
    primary_key=("source_id", "source_row"),
    foreign_keys=(
        foreign_key("campaign_id", "campaigns"),
        foreign_key("department_code", "departements"),
        foreign_key("source_id", "sources"),
    ),
)

CAMPAIGN_BUDGETS = Table(
    name="campaign_budgets",
    title="Enveloppes par financeur",
    description="Enveloppe annoncée pour une campagne, par financeur et ligne budgétaire.",
    fields=(
        Field(
            "campaign_id",
            "string",
            "Campagne",
            "Campagne concernée.",
            required=True,
            pattern=CAMPAIGN_ID,
        ),
        Field(
            "funder",
            "string",
            "Financeur",
            "Code du financeur (table funders).",
            required=True,
            enum=FUNDER_CODES,
        ),
        Field(
            "budget_line",
            "string",
            "Ligne budgétaire",
            "Ligne de crédits telle que la source la nomme (FIR, programme 304, stratégie "
            "pauvreté…).",
            required=True,
        ),
        amount_field("amount_eur", "Montant (€)", "Montant annoncé en euros.", required=True),
        Field(
            "qualifier",
            "string",
            "Précision : le montant",
            "Comment la source formule ce montant (exact : tel quel ; minimum : « au moins », "
            "« a minima » ; maximum : « jusqu'à » ; approximate : « environ »). Donné par la "
            "source (colonne ou defaults.qualifier du manifeste) ; sinon celui de l'enveloppe de "
            "la campagne quand elle est formulée (« a minima 370 000 € dont 100 000 € par "
            "l'ARS »), sinon exact.",
            enum=ANNOUNCED_QUALIFIERS,
            example="exact",
        ),
        source_id_field(),
        source_row_field(),
    ),
    primary_key=("campaign_id", "funder", "budget_line"),
    foreign_keys=(
        foreign_key("campaign_id", "campaigns"),
        foreign_key("funder", "funders"),
        foreign_key("source_id", "sources"),
    ),
)

FUNDING_BY_REGION_YEAR = Table(
    name="funding_by_region_year",
    title="Financements par région, année, type de campagne et financeur",
    description="Par région × année × type de campagne × financeur : l'enveloppe annoncée, le nombre "
    "et le montant total de lauréats annoncés, et le nombre et la somme des lignes publiées, "
    "chacun dans sa colonne. Les chiffres que la source n'attribue à aucun financeur sont sur "
    "la ligne du financeur NC. Les campagnes nationales (sans région) n'y sont pas.",
    fields=(
        region_code_field(),
        year_field("Année des campagnes."),
        year_qualifier_field(
            " Probable dès qu'une des campagnes réunies sur la ligne a une année probable."
        ),
        Field(
            "kind",
            "string",
            "Type de campagne",
            "call : appels à projets ; renewal : reconductions ; training : formation ; "
            "expression_of_interest : appels à manifestation d'intérêt ; frame : cadres "
            "nationaux. Les reconductions sont comptées à part des appels.",
            required=True,
            enum=CAMPAIGN_KINDS,
        ),
        Field(
            "funder",
            "string",
            "Financeur",
            "Code du financeur ; NC pour les chiffres que la source n'attribue à aucun financeur.",
            required=True,
            enum=FUNDER_CODES,
        ),
        Field(
            "campaigns_count",
            "integer",
            "Campagnes",
            "Nombre de campagnes réunies sur la ligne.",
            required=True,
            minimum=0,
        ),
        amount_field(
            "envelope_eur",
            "Enveloppe annoncée (€)",
            "Enveloppe annoncée pour ce financeur (campaign_budgets), ou, sur la ligne NC, la part "
            "de l'enveloppe de la campagne qui n'est ventilée par aucun financeur.",
        ),
        qualifier_field("envelope_qualifier", "l'enveloppe"),
        Field(
            "declared_awards_count",
            "integer",
            "Lauréats annoncés",
            "Nombre de projets retenus annoncé par l'éditeur (campaigns).",
            minimum=0,
        ),
        qualifier_field("declared_awards_qualifier", "le nombre de lauréats"),
        amount_field(
            "declared_total_eur",
            "Montant total annoncé (€)",
            "Montant total attribué annoncé par l'éditeur (campaigns).",
        ),
        qualifier_field("declared_total_qualifier", "le montant total"),
        Field(
            "published_lines_count",
            "integer",
            "Lignes publiées",
            "Nombre de lignes de subvention publiées (awards).",
            required=True,
            minimum=0,
        ),
        Field(
            "published_lines_with_amount_count",
            "integer",
            "Lignes publiées avec montant",
            "Lignes publiées dont le montant est donné.",
            required=True,
            minimum=0,
        ),
        amount_field(
            "published_amount_eur",
            "Somme des lignes publiées (€)",
            "Somme des montants publiés ligne à ligne ; vide si aucun montant n'est publié.",
        ),
    ),
    primary_key=("region_code", "year", "kind", "funder"),
    foreign_keys=(foreign_key("region_code", "regions"), foreign_key("funder", "funders")),
)
