"""Every canonical table, defined once: fields, types, constraints, French titles and descriptions."""

from __future__ import annotations

from schemas.spec import Field, ForeignKey, Table
from schemas.vocabularies import (
    CAMPAIGN_KINDS,
    FUNDER_CODES,
    SOURCE_STATUSES,
    TABLE_KINDS,
)

REGION_CODE = r"^\d{2}$"
DEPARTEMENT_CODE = r"^(\d{2}|2A|2B|97[1-6])$"
CAMPAIGN_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SIRET = r"^\d{14}$"
RNA = r"^W\d{9}$"
YEAR_MIN, YEAR_MAX = 2020, 2035


def _region_code(description: str = "Code INSEE de la région (COG), sur deux caractères.") -> Field:
    return Field("region_code", "string", "Code région", description, required=True,
                 pattern=REGION_CODE, example="24")


def _year(description: str) -> Field:
    return Field("year", "integer", "Année", description, required=True,
                 minimum=YEAR_MIN, maximum=YEAR_MAX, example="2022")


def _source_id(description: str = "Identifiant de la source brute d'où vient la ligne "
               "(voir la table sources).") -> Field:
    return Field("source_id", "string", "Source", description, required=True,
                 example="centre-val-de-loire/2022/campagne")


def _amount(name: str, title: str, description: str, required: bool = False) -> Field:
    return Field(name, "number", title, description, required=required, minimum=0,
                 example="12500.00")


def _fk(field: str, resource: str, ref: str | None = None) -> ForeignKey:
    return ForeignKey((field,), resource, (ref or field,))


REGIONS = Table(
    name="regions",
    title="Régions",
    description="Référentiel des régions selon le Code officiel géographique (COG) de l'INSEE.",
    fields=(
        _region_code(),
        Field("region_name", "string", "Nom de la région", "Nom officiel de la région (COG).",
              required=True, example="Centre-Val de Loire"),
    ),
    primary_key=("region_code",),
)

DEPARTEMENTS = Table(
    name="departements",
    title="Départements",
    description="Référentiel des départements selon le Code officiel géographique (COG) de l'INSEE.",
    fields=(
        Field("department_code", "string", "Code département",
              "Code INSEE du département : deux caractères (01, 2A, 2B) ou trois outre-mer (971).",
              required=True, pattern=DEPARTEMENT_CODE, example="37"),
        Field("department_name", "string", "Nom du département", "Nom officiel du département (COG).",
              required=True, example="Indre-et-Loire"),
        _region_code("Code INSEE de la région du département."),
    ),
    primary_key=("department_code",),
    foreign_keys=(_fk("region_code", "regions"),),
)

FUNDERS = Table(
    name="funders",
    title="Financeurs",
    description="Vocabulaire des financeurs des appels à projets 1000 premiers jours.",
    fields=(
        Field("funder", "string", "Financeur", "Code court du financeur.", required=True,
              enum=FUNDER_CODES, example="ARS"),
        Field("funder_name", "string", "Nom du financeur", "Nom complet du financeur.",
              required=True, example="Agence régionale de santé"),
        Field("description", "string", "Description", "Nature du financeur et de ses crédits."),
    ),
    primary_key=("funder",),
)

SOURCES = Table(
    name="sources",
    title="Sources",
    description="Provenance : chaque fichier brut contribué, son empreinte, son éditeur et le "
                "bilan de sa lecture (lignes lues = acceptées + rejetées + ignorées).",
    fields=(
        _source_id("Identifiant de la source : chemin du fichier sous raw/, sans extension."),
        Field("path", "string", "Fichier", "Chemin du fichier brut dans le dépôt.", required=True,
              example="raw/centre-val-de-loire/2022/campagne.csv"),
        Field("sha256", "string", "Empreinte SHA-256",
              "Empreinte SHA-256 du fichier brut (vide si le fichier manque).", pattern=r"^[0-9a-f]{64}$"),
        Field("format", "string", "Format", "Format du fichier brut (vide si le manifeste est illisible).",
              enum=("csv", "xlsx", "ods", "pdf", "html")),
        Field("publisher", "string", "Éditeur", "Organisme qui a publié l'information."),
        Field("url", "string", "Adresse", "Adresse publique où l'information a été publiée."),
        Field("retrieved", "date", "Date de consultation",
              "Date à laquelle la source a été consultée (AAAA-MM-JJ).",
              pattern=r"^\d{4}-\d{2}-\d{2}$"),
        Field("licence", "string", "Licence", "Licence de réutilisation de la source."),
        Field("region_code", "string", "Code région", "Région couverte par la source.",
              pattern=REGION_CODE),
        Field("year", "integer", "Année", "Année de la campagne décrite par la source.",
              minimum=YEAR_MIN, maximum=YEAR_MAX),
        Field("campaign_id", "string", "Campagne", "Campagne décrite par la source.",
              pattern=CAMPAIGN_ID),
        Field("table", "string", "Table alimentée", "Table canonique que la source alimente.",
              enum=TABLE_KINDS),
        Field("status", "string", "Statut",
              "ok : tout accepté ; rejected_rows : des lignes rejetées ; unreadable : fichier "
              "illisible ; bad_manifest : manifeste invalide ; refused : source refusée (données "
              "personnelles, provenance contradictoire).", required=True, enum=SOURCE_STATUSES),
        Field("rows_read", "integer", "Lignes lues", "Lignes physiques lues dans le fichier.",
              required=True, minimum=0),
        Field("rows_accepted", "integer", "Lignes acceptées", "Lignes retenues dans les tables.",
              required=True, minimum=0),
        Field("rows_rejected", "integer", "Lignes rejetées",
              "Lignes écartées pour erreur, conservées dans rejected_rows.", required=True,
              minimum=0),
        Field("rows_skipped", "integer", "Lignes ignorées",
              "En-têtes, titres, lignes vides, notes et totaux.", required=True, minimum=0),
        Field("message", "string", "Message", "Raison pour laquelle la source est illisible, le cas échéant."),
    ),
    primary_key=("source_id",),
    foreign_keys=(_fk("region_code", "regions"),),
)

CAMPAIGNS = Table(
    name="campaigns",
    title="Campagnes",
    description="Une ligne par campagne régionale (appel à projets, reconduction, formation), "
                "avec les chiffres annoncés par l'éditeur.",
    fields=(
        Field("campaign_id", "string", "Campagne", "Identifiant stable de la campagne.",
              required=True, pattern=CAMPAIGN_ID, example="cvl-2022-aap"),
        _region_code(),
        _year("Année de la campagne."),
        Field("title", "string", "Intitulé", "Intitulé de la campagne tel que publié.",
              required=True),
        Field("kind", "string", "Type",
              "call : appel à projets ; renewal : reconduction de projets ; training : formation "
              "des professionnels.", required=True, enum=CAMPAIGN_KINDS),
        _amount("envelope_eur", "Enveloppe annoncée (€)",
                "Budget annoncé pour la campagne, tous financeurs (somme de campaign_budgets "
                "quand la source le ventile)."),
        Field("declared_awards_count", "integer", "Lauréats annoncés",
              "Nombre de projets retenus annoncé par l'éditeur.", minimum=0),
        _amount("declared_total_eur", "Montant total annoncé (€)",
                "Montant total attribué annoncé par l'éditeur."),
        _source_id("Source principale décrivant la campagne."),
    ),
    primary_key=("campaign_id",),
    foreign_keys=(_fk("region_code", "regions"), _fk("source_id", "sources")),
)

CAMPAIGN_BUDGETS = Table(
    name="campaign_budgets",
    title="Enveloppes par financeur",
    description="Enveloppe annoncée pour une campagne, par financeur et ligne budgétaire.",
    fields=(
        Field("campaign_id", "string", "Campagne", "Campagne concernée.", required=True,
              pattern=CAMPAIGN_ID),
        Field("funder", "string", "Financeur", "Code du financeur (table funders).",
              required=True, enum=FUNDER_CODES),
        Field("budget_line", "string", "Ligne budgétaire",
              "Ligne de crédits telle que la source la nomme (FIR, programme 304, stratégie "
              "pauvreté…).", required=True),
        _amount("amount_eur", "Montant (€)", "Montant annoncé en euros.", required=True),
        _source_id(),
        Field("source_row", "integer", "Ligne source", "Numéro de ligne dans le fichier brut.",
              required=True, minimum=1),
    ),
    primary_key=("campaign_id", "funder", "budget_line"),
    foreign_keys=(_fk("campaign_id", "campaigns"), _fk("funder", "funders"),
                  _fk("source_id", "sources")),
)

AWARDS = Table(
    name="awards",
    title="Subventions attribuées",
    description="Une ligne par projet financé et par financeur.",
    fields=(
        Field("award_id", "string", "Identifiant", "Identifiant stable de la ligne de subvention.",
              required=True, unique=True),
        Field("campaign_id", "string", "Campagne", "Campagne qui a financé le projet.",
              required=True, pattern=CAMPAIGN_ID),
        _region_code(),
        _year("Année de la campagne."),
        Field("department_code", "string", "Code département",
              "Code INSEE du département du projet, quand la source le donne.",
              pattern=DEPARTEMENT_CODE),
        Field("beneficiary_id", "string", "Bénéficiaire",
              "Identifiant du bénéficiaire (table beneficiaries).", required=True),
        Field("beneficiary_name", "string", "Nom du bénéficiaire",
              "Porteur du projet, tel que publié.", required=True),
        Field("beneficiary_siret", "string", "SIRET", "SIRET du bénéficiaire, vérifié (clé de Luhn).",
              pattern=SIRET),
        Field("beneficiary_rna", "string", "RNA",
              "Numéro au répertoire national des associations.", pattern=RNA),
        Field("project_title", "string", "Intitulé du projet", "Intitulé ou objet du projet."),
        Field("volet", "string", "Volet", "Volet de l'appel à projets, tel que publié."),
        Field("theme", "string", "Thème", "Thème ou axe du projet, tel que publié."),
        Field("funder", "string", "Financeur",
              "Code du financeur de la ligne (NC quand la source ne le dit pas).",
              required=True, enum=FUNDER_CODES),
        _amount("amount_eur", "Montant (€)",
                "Montant attribué par ce financeur ; vide quand l'éditeur ne l'a pas publié "
                "(jamais estimé)."),
        _source_id(),
        Field("source_row", "integer", "Ligne source", "Numéro de ligne dans le fichier brut.",
              required=True, minimum=1),
    ),
    primary_key=("award_id",),
    foreign_keys=(
        _fk("campaign_id", "campaigns"),
        _fk("region_code", "regions"),
        _fk("department_code", "departements"),
        _fk("beneficiary_id", "beneficiaries"),
        _fk("funder", "funders"),
        _fk("source_id", "sources"),
    ),
)

BENEFICIARIES = Table(
    name="beneficiaries",
    title="Bénéficiaires",
    description="Une ligne par organisation bénéficiaire distincte, toutes régions et années "
                "confondues, pour relier les reconductions.",
    fields=(
        Field("beneficiary_id", "string", "Bénéficiaire", "Identifiant stable du bénéficiaire.",
              required=True),
        Field("beneficiary_name", "string", "Nom", "Nom le plus récent sous lequel il a été publié.",
              required=True),
        Field("beneficiary_siret", "string", "SIRET", "SIRET, quand une source le donne.",
              pattern=SIRET),
        Field("beneficiary_rna", "string", "RNA", "Numéro RNA, quand une source le donne.",
              pattern=RNA),
        Field("match_key", "string", "Clé de rapprochement",
              "siret:…, rna:… ou name:<région>:<nom normalisé> : ce qui relie les lignes entre elles.",
              required=True),
        Field("awards_count", "integer", "Lignes de subvention", "Nombre de lignes dans awards.",
              required=True, minimum=1),
        Field("first_year", "integer", "Première année", "Première année financée.",
              required=True, minimum=YEAR_MIN, maximum=YEAR_MAX),
        Field("last_year", "integer", "Dernière année", "Dernière année financée.",
              required=True, minimum=YEAR_MIN, maximum=YEAR_MAX),
    ),
    primary_key=("beneficiary_id",),
)

BENEFICIARY_REVIEW = Table(
    name="beneficiary_review",
    title="Rapprochements de bénéficiaires à vérifier",
    description="Paires de bénéficiaires qui pourraient être la même organisation mais n'ont pas été "
                "fusionnées (noms proches, même nom dans deux régions, même nom avec deux SIRET).",
    fields=(
        Field("beneficiary_id", "string", "Bénéficiaire", "Premier bénéficiaire de la paire.", required=True),
        Field("candidate_id", "string", "Candidat", "Second bénéficiaire, peut-être le même.", required=True),
        Field("reason", "string", "Raison", "Pourquoi la paire est à vérifier.", required=True),
        Field("similarity", "number", "Similarité", "Similarité des noms normalisés (0 à 1).",
              required=True, minimum=0, maximum=1),
    ),
    primary_key=("beneficiary_id", "candidate_id"),
    foreign_keys=(_fk("beneficiary_id", "beneficiaries"),
                  ForeignKey(("candidate_id",), "beneficiaries", ("beneficiary_id",))),
)

FUNDING_BY_REGION_YEAR = Table(
    name="funding_by_region_year",
    title="Financements par région, année et financeur",
    description="Totaux par région × année × financeur, calculés depuis awards et campaign_budgets.",
    fields=(
        _region_code(),
        _year("Année des campagnes."),
        Field("funder", "string", "Financeur", "Code du financeur.", required=True,
              enum=FUNDER_CODES),
        Field("awards_count", "integer", "Lignes de subvention",
              "Nombre de lignes de subvention publiées.", required=True, minimum=0),
        Field("awards_with_amount_count", "integer", "Lignes avec montant",
              "Lignes dont le montant est publié.", required=True, minimum=0),
        _amount("amount_eur", "Montant attribué (€)",
                "Somme des montants publiés ; vide si aucun montant n'est publié."),
        _amount("envelope_eur", "Enveloppe annoncée (€)",
                "Somme des enveloppes annoncées par ce financeur (campaign_budgets)."),
    ),
    primary_key=("region_code", "year", "funder"),
    foreign_keys=(_fk("region_code", "regions"), _fk("funder", "funders")),
)

REJECTED_ROWS = Table(
    name="rejected_rows",
    title="Lignes rejetées",
    description="Chaque ligne écartée d'une source, avec sa raison : rien n'est perdu.",
    fields=(
        _source_id(),
        Field("source_row", "integer", "Ligne source", "Numéro de ligne dans le fichier brut.",
              minimum=1),
        Field("place", "string", "Emplacement", "Feuille, page ou tableau du fichier."),
        Field("column", "string", "Colonne", "Colonne du fichier en cause."),
        Field("value", "string", "Valeur", "Valeur lue dans le fichier."),
        Field("reason", "string", "Raison", "Ce qui ne va pas.", required=True),
        Field("fix", "string", "Correction", "Comment corriger la source."),
    ),
    primary_key=(),
    foreign_keys=(_fk("source_id", "sources"),),
)

# Publication order: references first so that foreign keys point backwards.
TABLES: dict[str, Table] = {
    t.name: t
    for t in (REGIONS, DEPARTEMENTS, FUNDERS, SOURCES, CAMPAIGNS, CAMPAIGN_BUDGETS,
              BENEFICIARIES, BENEFICIARY_REVIEW, AWARDS, FUNDING_BY_REGION_YEAR, REJECTED_ROWS)
}

# The tables a raw source may feed (manifest key `table`).
SOURCE_TABLES = {name: TABLES[name] for name in TABLE_KINDS}
