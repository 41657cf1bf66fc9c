"""Every published figure in long form: one row per figure, with its wording, its year's, its
source and the sentence the source quotes. Built from the other tables, never from a raw file."""

from __future__ import annotations

from schemas.fields import (
    CAMPAIGN_ID,
    DEPARTEMENT_CODE,
    foreign_key,
    qualifier_field,
    source_id_field,
    year_field,
    year_qualifier_field,
)
from schemas.spec import Field, Table
from schemas.vocabularies import FIGURE_MEASURES, FUNDER_CODES

FIGURES = Table(
    name="figures",
    title="Chiffres publiés, un par ligne",
    description="Chaque chiffre publié, une ligne chacun : ce qu'il mesure, sa valeur, sa "
    "formulation (exact, au moins, jusqu'à, environ, ou somme calculée par nous), l'année et sa "
    "précision, la source et la phrase qu'elle cite. Les chiffres de mesures différentes ne "
    "s'additionnent pas : une enveloppe est un budget prévu, un montant annoncé un total déclaré, "
    "une somme calculée l'addition des lignes publiées.",
    fields=(
        Field(
            "figure_id",
            "string",
            "Chiffre",
            "Identifiant du chiffre : campagne/mesure, puis ce qui le distingue (financeur, "
            "ligne budgétaire, département, thème, source).",
            required=True,
            unique=True,
            identifier=True,
            example="pdl-2022-aap/budget_line/ARS/volet santé des 1000 premiers jours",
        ),
        Field(
            "campaign_id",
            "string",
            "Campagne",
            "Campagne dont le chiffre est donné.",
            required=True,
            pattern=CAMPAIGN_ID,
        ),
        Field(
            "measure",
            "string",
            "Mesure",
            "envelope : enveloppe de la campagne ; budget_line : enveloppe d'un financeur "
            "(campaign_budgets) ; declared_awards_count, declared_total : lauréats et montant "
            "total annoncés ; award_cap : plafond par projet ; regional_envelope_min : dotation "
            "minimale de chaque appel régional ; laureates_count, applicants_count, "
            "existing_projects_count : nombres annoncés (campaign_counts) ; named_awards_count, "
            "awarded_total_computed : lignes publiées et somme de leurs montants, calculées par "
            "nous (awards).",
            required=True,
            enum=FIGURE_MEASURES,
        ),
        Field("value", "number", "Valeur", "Le chiffre (euros ou nombre).", required=True),
        qualifier_field("qualifier", "ce chiffre"),
        Field(
            "funder",
            "string",
            "Financeur",
            "Financeur auquel la source attribue le chiffre ; vide sinon.",
            enum=FUNDER_CODES,
        ),
        Field(
            "budget_line",
            "string",
            "Ligne budgétaire",
            "Ligne de crédits (mesure budget_line) telle que la source la nomme.",
        ),
        Field(
            "department_code",
            "string",
            "Code département",
            "Département dont le chiffre est donné ; vide pour toute la campagne.",
            pattern=DEPARTEMENT_CODE,
        ),
        Field("theme", "string", "Thème", "Thème dont le chiffre est donné, tel que publié."),
        year_field("Année de la campagne."),
        year_qualifier_field(),
        source_id_field("Source qui donne le chiffre."),
        Field(
            "quote",
            "string",
            "Citation",
            "La phrase de la source, citée par son manifeste (sources.note, quand elle cite entre "
            "« ») ; vide pour un chiffre calculé ou une source qui ne cite pas.",
        ),
    ),
    primary_key=("figure_id",),
    foreign_keys=(
        foreign_key("campaign_id", "campaigns"),
        foreign_key("funder", "funders"),
        foreign_key("department_code", "departements"),
        foreign_key("source_id", "sources"),
    ),
)
