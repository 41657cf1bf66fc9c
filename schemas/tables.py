"""Every canonical table, defined once: fields, types, constraints, French titles and descriptions."""

from __future__ import annotations

from schemas.fields import (
    CAMPAIGN_ID,
    COG_SOURCE,
    COG_URL,
    COG_VINTAGE,
    DEPARTEMENT_CODE,
    REGION_CODE,
    RNA,
    SIRET,
    YEAR_MAX,
    YEAR_MIN,
    amount_field,
    foreign_key,
    qualifier_field,
    region_code_field,
    source_id_field,
    year_field,
)
from schemas.spec import Field, ForeignKey, Table
from schemas.vocabularies import (
    ANNOUNCED_QUALIFIERS,
    CAMPAIGN_KINDS,
    CAMPAIGN_SCOPES,
    COUNT_SUBJECTS,
    FUNDER_CODES,
    READ_METHODS,
    SOURCE_STATUSES,
    TABLE_KINDS,
    YEAR_QUALIFIERS,
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

SOURCES = Table(
    name="sources",
    title="Sources",
    description="Provenance : chaque fichier brut contribué, son empreinte, son éditeur et le "
    "bilan de sa lecture (lignes lues = acceptées + rejetées + ignorées).",
    fields=(
        source_id_field("Identifiant de la source : chemin du fichier sous raw/, sans extension."),
        Field(
            "path",
            "string",
            "Fichier",
            "Chemin du fichier brut dans le dépôt.",
            required=True,
            example="raw/centre-val-de-loire/2022/campagne.csv",
        ),
        Field(
            "sha256",
            "string",
            "Empreinte SHA-256",
            "Empreinte SHA-256 du fichier brut (vide si le fichier manque).",
            pattern=r"^[0-9a-f]{64}$",
        ),
        Field(
            "format",
            "string",
            "Format",
            "Format du fichier brut (vide si le manifeste est illisible).",
            enum=("csv", "xlsx", "ods", "pdf", "html"),
        ),
        Field(
            "method",
            "string",
            "Lecture",
            "Comment le texte du fichier a été lu : text, tel que le fichier l'écrit ; ocr, par "
            "reconnaissance de caractères sur les images d'un PDF scanné (montants recoupés avec le "
            "total du document quand il y en a un). Vide si le fichier n'a pas été lu.",
            enum=READ_METHODS,
        ),
        Field("publisher", "string", "Éditeur", "Organisme qui a publié l'information."),
        Field("url", "string", "Adresse", "Adresse publique où l'information a été publiée."),
        Field(
            "retrieved",
            "date",
            "Date de consultation",
            "Date à laquelle la source a été consultée (AAAA-MM-JJ).",
            pattern=r"^\d{4}-\d{2}-\d{2}$",
        ),
        Field("licence", "string", "Licence", "Licence de réutilisation de la source."),
        Field(
            "region_code",
            "string",
            "Code région",
            "Région couverte par la source.",
            pattern=REGION_CODE,
        ),
        Field(
            "year",
            "integer",
            "Année",
            "Année de la campagne décrite par la source.",
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "campaign_id",
            "string",
            "Campagne",
            "Campagne décrite par la source.",
            pattern=CAMPAIGN_ID,
        ),
        Field(
            "table",
            "string",
            "Table alimentée",
            "Table canonique que la source alimente.",
            enum=TABLE_KINDS,
        ),
        Field(
            "status",
            "string",
            "Statut",
            "ok : tout accepté ; rejected_rows : des lignes rejetées ; unreadable : fichier "
            "illisible ; bad_manifest : manifeste invalide ; refused : source refusée (données "
            "personnelles, provenance contradictoire).",
            required=True,
            enum=SOURCE_STATUSES,
        ),
        Field(
            "rows_read",
            "integer",
            "Lignes lues",
            "Lignes physiques lues dans le fichier.",
            required=True,
            minimum=0,
        ),
        Field(
            "rows_accepted",
            "integer",
            "Lignes acceptées",
            "Lignes retenues dans les tables.",
            required=True,
            minimum=0,
        ),
        Field(
            "rows_rejected",
            "integer",
            "Lignes rejetées",
            "Lignes écartées pour erreur, conservées dans rejected_rows.",
            required=True,
            minimum=0,
        ),
        Field(
            "rows_skipped",
            "integer",
            "Lignes ignorées",
            "En-têtes, titres, lignes vides, notes et totaux.",
            required=True,
            minimum=0,
        ),
        Field(
            "message",
            "string",
            "Message",
            "Raison pour laquelle la source est illisible, le cas échéant.",
        ),
        Field(
            "note",
            "string",
            "Note",
            "Ce que dit la source, cité mot pour mot entre « », et ce qu'il faut savoir pour la lire.",
        ),
    ),
    primary_key=("source_id",),
    foreign_keys=(foreign_key("region_code", "regions"),),
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
        Field(
            "year_qualifier",
            "string",
            "Précision de l'année",
            "exact : l'année est écrite dans la source ; probable : la source ne la donne pas, "
            "elle est déduite du contexte (voir la note de la source).",
            required=True,
            enum=YEAR_QUALIFIERS,
            example="exact",
        ),
        Field(
            "title", "string", "Intitulé", "Intitulé de la campagne tel que publié.", required=True
        ),
        Field(
            "kind",
            "string",
            "Type",
            "call : appel à projets ; renewal : reconduction de projets ; training : formation "
            "des professionnels.",
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
    foreign_keys=(foreign_key("region_code", "regions"), foreign_key("source_id", "sources")),
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
        Field(
            "source_row",
            "integer",
            "Ligne source",
            "Numéro de ligne dans le fichier brut.",
            required=True,
            minimum=1,
        ),
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
        source_id_field(),
        Field(
            "source_row",
            "integer",
            "Ligne source",
            "Numéro de ligne dans le fichier brut.",
            required=True,
            minimum=1,
        ),
    ),
    primary_key=("campaign_id", "funder", "budget_line"),
    foreign_keys=(
        foreign_key("campaign_id", "campaigns"),
        foreign_key("funder", "funders"),
        foreign_key("source_id", "sources"),
    ),
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
        ),
        Field(
            "campaign_id",
            "string",
            "Campagne",
            "Campagne qui a financé le projet.",
            required=True,
            pattern=CAMPAIGN_ID,
        ),
        region_code_field(),
        year_field("Année de la campagne."),
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
        ),
        Field(
            "beneficiary_name",
            "string",
            "Nom du bénéficiaire",
            "Porteur du projet, tel que publié.",
            required=True,
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
        Field("project_title", "string", "Intitulé du projet", "Intitulé ou objet du projet."),
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
        Field(
            "source_row",
            "integer",
            "Ligne source",
            "Numéro de ligne dans le fichier brut.",
            required=True,
            minimum=1,
        ),
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
        ),
        Field(
            "beneficiary_name",
            "string",
            "Nom",
            "Nom le plus récent sous lequel il a été publié.",
            required=True,
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
        ),
        Field(
            "candidate_id",
            "string",
            "Candidat",
            "Second bénéficiaire, peut-être le même.",
            required=True,
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
        Field(
            "kind",
            "string",
            "Type de campagne",
            "call : appels à projets ; renewal : reconductions ; training : formation. Les "
            "reconductions sont comptées à part des appels.",
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

REJECTED_ROWS = Table(
    name="rejected_rows",
    title="Lignes rejetées",
    description="Chaque ligne écartée d'une source, avec sa raison : rien n'est perdu.",
    fields=(
        source_id_field(),
        Field(
            "source_row",
            "integer",
            "Ligne source",
            "Numéro de ligne dans le fichier brut.",
            minimum=1,
        ),
        Field("place", "string", "Emplacement", "Feuille, page ou tableau du fichier."),
        Field("column", "string", "Colonne", "Colonne du fichier en cause."),
        Field("value", "string", "Valeur", "Valeur lue dans le fichier."),
        Field("reason", "string", "Raison", "Ce qui ne va pas.", required=True),
        Field("fix", "string", "Correction", "Comment corriger la source."),
    ),
    primary_key=(),
    foreign_keys=(foreign_key("source_id", "sources"),),
)

# Publication order: references first so that foreign keys point backwards.
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        REGIONS,
        DEPARTEMENTS,
        FUNDERS,
        SOURCES,
        CAMPAIGNS,
        CAMPAIGN_BUDGETS,
        CAMPAIGN_COUNTS,
        BENEFICIARIES,
        BENEFICIARY_REVIEW,
        AWARDS,
        FUNDING_BY_REGION_YEAR,
        REJECTED_ROWS,
    )
}

# The tables a raw source may feed (manifest key `table`).
SOURCE_TABLES = {name: TABLES[name] for name in TABLE_KINDS}
