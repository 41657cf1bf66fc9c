"""Controlled vocabularies shared by the schemas, the normalizers and the published references."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Funder:
    code: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()


# Aliases are compared after normalization (lower case, no accents, no punctuation): see
# pipelines.common.values.text_key. Spellings seen in the calls' texts and the regional lists.
FUNDERS: tuple[Funder, ...] = (
    Funder(
        "ARS",
        "Agence régionale de santé",
        "ARS de la région ; crédits du Fonds d'intervention régional (FIR).",
        (
            "ars",
            "agence regionale de sante",
            "agence regionale de la sante",
            "fir",
            "fonds d intervention regional",
        ),
    ),
    Funder(
        "DREETS",
        "Direction régionale de l'économie, de l'emploi, du travail et des solidarités",
        "Services déconcentrés de l'État en métropole ; crédits du programme 304.",
        (
            "dreets",
            "direction regionale de l economie de l emploi du travail et des solidarites",
            "programme 304",
            "p304",
            "bop 304",
        ),
    ),
    Funder(
        "DEETS",
        "Direction de l'économie, de l'emploi, du travail et des solidarités",
        "Équivalent de la DREETS dans les départements et régions d'outre-mer.",
        ("deets", "direction de l economie de l emploi du travail et des solidarites"),
    ),
    Funder(
        "COMMISSAIRE_PAUVRETE",
        "Commissaire à la prévention et à la lutte contre la pauvreté",
        "Crédits de la stratégie nationale de prévention et de lutte contre la pauvreté "
        "(dont le plan de formation Enfance=Égalité).",
        (
            "commissaire pauvrete",
            "commissaire a la lutte contre la pauvrete",
            "commissaire a la prevention et a la lutte contre la pauvrete",
            "commissariat a la lutte contre la pauvrete",
            "commissaire",
            "strategie pauvrete",
            "strategie de lutte contre la pauvrete",
            "strategie nationale de prevention et de lutte contre la pauvrete",
            "enfance egalite",
            "plan enfance egalite",
            "clp",
        ),
    ),
    Funder(
        "ETAT",
        "État (service non précisé)",
        "Subvention de l'État dont la source ne précise pas le service financeur.",
        ("etat", "l etat", "subvention de l etat", "prefecture", "prefet"),
    ),
    Funder(
        "CAF",
        "Caisse d'allocations familiales",
        "Branche famille de la Sécurité sociale.",
        ("caf", "caisse d allocations familiales"),
    ),
    Funder(
        "ASSURANCE_MALADIE",
        "Assurance Maladie",
        "Caisse primaire ou régime général.",
        ("assurance maladie", "cpam", "caisse primaire d assurance maladie", "caisse primaire"),
    ),
    Funder(
        "MSA",
        "Mutualité sociale agricole",
        "Régime de protection sociale agricole.",
        ("msa", "mutualite sociale agricole"),
    ),
    Funder(
        "DRAC",
        "Direction régionale des affaires culturelles",
        "Ministère de la Culture.",
        ("drac", "direction regionale des affaires culturelles"),
    ),
    Funder(
        "CONSEIL_DEPARTEMENTAL",
        "Conseil départemental",
        "Le Département (collectivité) : protection maternelle et infantile, aide sociale à "
        "l'enfance.",
        (
            "conseil departemental",
            "cd",
            "departement",
            "conseil general",
            "collectivite europeenne d alsace",
        ),
    ),
    Funder(
        "CONSEIL_REGIONAL",
        "Conseil régional",
        "La Région (collectivité).",
        ("conseil regional", "region", "collectivite regionale"),
    ),
    Funder(
        "COMMUNE",
        "Commune",
        "Une ville ou une commune, et son centre communal d'action sociale (CCAS).",
        ("commune", "ville", "mairie", "ccas", "centre communal d action sociale"),
    ),
    Funder(
        "INTERCOMMUNALITE",
        "Intercommunalité",
        "Communauté de communes, d'agglomération ou urbaine, métropole (EPCI).",
        (
            "intercommunalite",
            "epci",
            "communaute de communes",
            "communaute d agglomeration",
            "communaute urbaine",
            "metropole",
        ),
    ),
    Funder(
        "NC",
        "Financeur non communiqué",
        "La source ne dit pas quel financeur porte la ligne (appel à projets conjoint).",
        ("nc", "non communique", "non precise"),
    ),
)

FUNDER_CODES: tuple[str, ...] = tuple(f.code for f in FUNDERS)
# Aliases that are also plain words of a place (« ARS Région Normandie »): after another funder's
# name they name a joint funder only when joined by « et ».
PLACE_ALIASES = frozenset({"departement", "region", "ville", "commune", "metropole"})

# A frame is the national level of a year's regional calls (their rule, their roll-up): no call of its own.
CAMPAIGN_KIND_LABELS = {
    "call": "appel à projets",
    "renewal": "reconduction",
    "training": "formation",
    "expression_of_interest": "appel à manifestation d'intérêt",
    "frame": "cadre national",
}
CAMPAIGN_KINDS = tuple(CAMPAIGN_KIND_LABELS)
CAMPAIGN_SCOPES = ("regional", "national")
TABLE_KINDS = ("awards", "campaigns", "campaign_budgets", "campaign_counts", "national_lines")
# National lines of the policy that are no regional call (table national_lines): never added to the calls.
NATIONAL_PROGRAMMES = ("pmi_contracts", "repap")
# A search record (`table: searches`, no data file): where nothing public was found, and when.
SEARCH_KIND = "searches"
SOURCE_KINDS = (*TABLE_KINDS, SEARCH_KIND)
# What is known of a region × year (table coverage), and how much of it when collected.
COVERAGE_STATUSES = ("collected", "searched_nothing_found", "not_searched")
COVERAGE_KNOWLEDGE = ("full", "partial", "totals", "envelope", "campaign")

# How an announced figure is worded. `sum` is never announced: a total we computed from named lines.
QUALIFIERS = ("exact", "minimum", "maximum", "approximate", "sum")
# What a manifest or a file may say (a sum is only ever computed, never contributed).
ANNOUNCED_QUALIFIERS = QUALIFIERS[:-1]
QUALIFIER_LABELS = {
    "exact": "",
    "minimum": "au moins",
    "maximum": "au plus",
    "approximate": "environ",
    "sum": "somme calculée",
}
YEAR_QUALIFIERS = ("exact", "probable")
# What a row of the `figures` table measures (the last two are computed, never announced).
FIGURE_MEASURES = (
    "envelope",
    "budget_line",
    "declared_awards_count",
    "declared_total",
    "award_cap",
    "regional_envelope_min",
    "laureates_count",
    "applicants_count",
    "existing_projects_count",
    "named_awards_count",
    "awarded_total_computed",
)
# What a count announced for a campaign counts (table campaign_counts).
COUNT_SUBJECTS = ("laureates", "applicants", "existing_projects")
# The formats a raw source may have (manifest key `read.format`, `sources.format`).
SOURCE_FORMATS = ("csv", "xlsx", "ods", "pdf", "html", "json", "docx")
SOURCE_STATUSES = ("ok", "rejected_rows", "unreadable", "bad_manifest", "refused")
# How a source's text was read: as the file writes it, or by OCR from the images of a scanned PDF.
READ_METHODS = ("text", "ocr")
