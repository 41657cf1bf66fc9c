"""Doubts: what in a file contradicts its reading. A reading with an open doubt is never « Prêt à
soumettre » nor published; the contributor settles each one in the manifest, and the message says how.

Each doubt has a stable code (`mille-jours validate --format json`), a French name, and the manifest
key that settles it. `confirmed: [code, …]` in a manifest says « I have looked: this reading is
right » for the doubts no more precise key settles.
"""

from __future__ import annotations

from pipelines.common.problems import Problem

# code → (what it is, in French; how to settle it besides `confirmed`)
DOUBTS: dict[str, tuple[str, str]] = {
    "hidden_rows": (
        "lignes, colonnes ou feuilles masquées dans le classeur",
        "read.hidden: skip (les laisser de côté) ou keep (les lire)",
    ),
    "unmapped_column": (
        "colonne ni reprise ni écartée, qui ressemble à des montants, années, départements ou "
        "financeurs",
        "la reprendre sous columns:, ou la lister sous ignore:",
    ),
    "several_years": (
        "plusieurs années de campagne dans le fichier alors que le manifeste en déclare une",
        "columns: {year: <en-tête>} (chaque ligne sous la campagne de son année), ou la "
        "colonne sous ignore: si ce ne sont pas les années de la campagne",
    ),
    "second_table": (
        "un second tableau sur la même feuille ou page",
        "read.skip_rows_matching, ou read.header_row / read.table pour viser le bon tableau",
    ),
    "cut_row": (
        "ligne coupée : champs obligatoires vides là où les lignes voisines les remplissent",
        "corriger le fichier, ou confirmer la ligne",
    ),
    "more_than_declared": (
        "plus de lauréats ou de montants que le chiffre annoncé",
        "vérifier declared: (partial: true n'excuse que moins de lignes qu'annoncé)",
    ),
    "grouped_rows": (
        "cellules laissées vides sous une valeur, sur des lignes qui ont leur montant "
        "(regroupement visuel, projet cofinancé sur plusieurs lignes)",
        "read.fill_down: [en-têtes] si chaque cellule vide vaut celle du dessus",
    ),
    "merged_amount": (
        "montant dans une cellule fusionnée sur plusieurs lignes ou colonnes de financeurs",
        "vérifier à qui revient le montant, lu une seule fois dans la première cellule",
    ),
    "sibling_campaign": (
        "campagne partagée avec un autre manifeste du même dossier sous un autre titre ou type",
        "le même campaign.title et campaign.kind dans les deux manifestes, ou un campaign.id propre "
        "à chacun",
    ),
    "total_mismatch": (
        "ligne TOTAL du fichier différente de la somme des lignes lues",
        "vérifier les montants des lignes et du total (une ligne manquante, rejetée ou de trop ?)",
    ),
    "amount_unit": (
        "montants en milliers ou millions d'euros (k€, M€) lus comme des euros, ou l'inverse",
        'read.amount_unit: "k€" ou "M€" (ou "€" si les montants sont bien en euros)',
    ),
    "amount_parts": (
        "montant écrit en texte dont les parts nommées ne font pas le total",
        "vérifier le financeur du reste (defaults.funder ou la colonne du financeur)",
    ),
    "header_like_data": (
        "ligne d'en-tête qui ressemble à une ligne de données (un lauréat pris pour l'en-tête)",
        "read.header_row (la ligne des intitulés), ou read.columns_by_position: true et les "
        "colonnes nommées par leur rang (colonne 1, colonne 2…)",
    ),
    "ambiguous_separator": (
        "montant sans devise écrit « 12,500 » dans une colonne dont d'autres montants ont des "
        "centimes après la virgule : milliers (12 500 €) ou décimales (12,50 €) ?",
        "écrire le montant avec son séparateur de milliers (« 12 500 ») ou sa devise "
        "(« 12,500 € »)",
    ),
    "implausible_amount": (
        "montant d'une ligne hors de proportion pour un lauréat d'un appel régional",
        "vérifier le montant (un zéro de trop, des milliers lus comme des euros ?) et "
        "campaign.envelope_eur",
    ),
    "above_envelope": (
        "montants lus au-dessus de l'enveloppe annoncée de la campagne",
        "vérifier campaign.envelope_eur (et son qualificatif envelope_qualifier) et les montants",
    ),
    "implausible_declared": (
        "nombre de lauréats annoncé hors de proportion avec les lignes du fichier",
        "vérifier declared.awards_count (un chiffre de trop ?)",
    ),
    "duplicate_source": (
        "les mêmes lauréats et montants dans deux fichiers d'une même campagne",
        "retirer le fichier en double, ou donner à chaque fichier sa propre campagne",
    ),
}
DOUBT_CODES = frozenset(DOUBTS)


def doubt(
    code: str,
    message: str,
    *,
    row: int | None = None,
    place: str | None = None,
    column: str | None = None,
    value: str | None = None,
    fix: str | None = None,
) -> Problem:
    """A doubt as a warning, its fix naming the manifest key that settles it or `confirmed:`."""
    settle = fix or DOUBTS[code][1]
    return Problem(
        row=row,
        place=place,
        column=column,
        value=value,
        message=f"doute : {message}",
        fix=f"{settle} ; ou, si la lecture est juste, ajouter « {code} » sous confirmed: "
        "dans le manifeste",
        severity="warning",
        code=code,
    )
