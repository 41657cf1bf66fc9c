"""Provenance: each raw source read, and every row it rejected, with the reason."""

from __future__ import annotations

from schemas.fields import (
    CAMPAIGN_ID,
    REGION_CODE,
    YEAR_MAX,
    YEAR_MIN,
    foreign_key,
    source_id_field,
    source_row_field,
    year_qualifier_field,
)
from schemas.licences import LICENCE_IDS, LICENCES
from schemas.spec import Field, Table
from schemas.vocabularies import (
    READ_METHODS,
    SOURCE_FORMATS,
    SOURCE_KINDS,
    SOURCE_STATUSES,
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
            identifier=True,
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
            enum=SOURCE_FORMATS,
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
        Field(
            "licence",
            "string",
            "Licence",
            "Licence de réutilisation de la source, l'une de : "
            + " ; ".join(f"{licence.id} ({licence.title}, {licence.path})" for licence in LICENCES)
            + ". Pour information-publique, les chiffres cités sont dans la colonne note.",
            enum=LICENCE_IDS,
        ),
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
        year_qualifier_field(
            " Vide pour une source dont le manifeste n'a pas pu être lu.", required=False
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
            "Table canonique que la source alimente ; searches pour un relevé de recherche sans "
            "résultat public (sans fichier de données : il alimente la table coverage).",
            enum=SOURCE_KINDS,
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
            "Raison pour laquelle la source est illisible, le cas échéant ; pour une source "
            "retenue, pourquoi sa version actuelle est refusée.",
        ),
        Field(
            "held_back",
            "string",
            "Retenue",
            "Vide pour une source publiée dans sa version actuelle. Sinon « retenue : dernière "
            "lecture valide du JJ/MM/AAAA, la version actuelle est refusée : raison » : la version "
            "actuelle de la source (fichier ou manifeste) est refusée, illisible ou retirée de "
            "raw/, et ses lignes publiées sont encore celles de sa dernière lecture valide (fichier "
            "consulté à cette date), pas celles de sa version actuelle.",
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

REJECTED_ROWS = Table(
    name="rejected_rows",
    title="Lignes rejetées",
    description="Chaque ligne écartée d'une source, avec sa raison : rien n'est perdu.",
    fields=(
        source_id_field(),
        source_row_field(required=False),
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
