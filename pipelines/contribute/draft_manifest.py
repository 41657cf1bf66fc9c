"""The manifest `mille-jours new-source` drafts: its keys composed from what was seen in the file
(`Look`), with French comments saying what to complete (« À COMPLÉTER ») and what to check
(« À VÉRIFIER »)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from pipelines.common.geography import cog
from pipelines.common.problems import SourceError
from pipelines.common.text import slug
from pipelines.contribute import demarches
from pipelines.contribute.draft_read import read_section
from pipelines.contribute.inspect import decimal_mark, total_line
from pipelines.contribute.look import Look
from pipelines.contribute.manifest_text import ManifestText, set_value
from pipelines.contribute.years import year_note
from pipelines.read.headers import AMOUNT_FIELDS, header_unit, not_awarded
from pipelines.read.layout import RawTable
from pipelines.read.manifest import SHEET_COLUMN, manifest_path_for
from pipelines.read.manifest_file import load_manifest
from pipelines.read.readers.items import HEADING_COLUMN
from pipelines.stage.personal_data import personal_data
from pipelines.stage.quality import TODO
from schemas.licences import DEFAULT_LICENCE, LICENCE_IDS
from schemas.vocabularies import CAMPAIGN_KIND_LABELS


@dataclass
class Draft:
    """The drafted manifest and what the contributor must be told about it."""

    data_path: Path
    manifest_path: Path
    text: str
    header_row: int
    header_place: str | None
    columns: dict[str, str]
    by_funder: dict[str, str]
    unmapped: list[str]
    to_complete: list[str]
    to_check: list[str]
    notes: list[str] = field(default_factory=list)
    copy: tuple[Path, bytes] | None = None  # a publishable copy of the file, written beside it
    file_total: tuple[int, float] | None = None  # the file's own TOTAL line: (row, euros)
    by_position: bool = False  # no header found: columns by their place, under `header_row`


def region_slug(code: str) -> str:
    return slug(cog().regions[code])


def compose(look: Look, code: str, year: int, table: str, today: dt.date) -> Draft:
    """The manifest's text, key by key, with what the contributor must complete or check."""
    data_path, columns, by_funder = look.data_path, look.columns, look.by_funder
    slug = region_slug(code)
    amount_labels = list(by_funder.values()) + [columns[k] for k in AMOUNT_FIELDS if k in columns]
    decimal = decimal_mark(look.raw, amount_labels)
    # « Montant (k€) »: the amounts are thousands of euros, and read as such.
    unit = next(((u, x) for x in amount_labels if (u := header_unit(x)) in ("k€", "M€")), None)
    doc = ManifestText(
        [
            f"Manifeste préparé par `mille-jours new-source` le {today.isoformat()} pour {data_path.name}.",
            f"Remplacer chaque « {TODO} », relire chaque « À VÉRIFIER », puis lancer :",
            f"  mille-jours validate {data_path.with_suffix('.yaml').name}",
            "Chaque clé est expliquée dans raw/README.md.",
        ]
    )
    _source(doc, code, year, today)
    _campaign(doc, data_path, slug, year)
    doc.put("table", table)
    read_section(doc, look, columns, decimal, unit, amount_labels)
    _columns(doc, columns, by_funder, year_note(doc, look.raw, columns, year))
    _left_out(doc, look.unmapped, look.raw)
    _filter(doc, look.state_column)
    _defaults(doc, table, columns, by_funder)
    total = None
    if table == "awards":
        total = total_line(look.raw, amount_labels, decimal, unit[0] if unit else "€")
        _declared(doc, total)
    return Draft(
        data_path,
        manifest_path_for(data_path),
        doc.text(),
        look.header.number,
        look.header.place,
        columns,
        by_funder,
        look.unmapped,
        doc.to_complete,
        doc.to_check,
        doc.notes + _location_notes(data_path, slug, year),
        file_total=total,
    )


def _sibling_campaigns(data_path: Path, year: int) -> dict[str, tuple[str, str, str, str]]:
    """The campaigns already described beside the file (e.g. its envelopes), by id: (id, title,
    kind, manifest name) — the first manifest naming each id."""
    found: dict[str, tuple[str, str, str, str]] = {}
    for other in sorted(data_path.parent.glob("*.yaml")):
        if other == manifest_path_for(data_path):
            continue
        try:
            m = load_manifest(other)
        except SourceError:
            continue
        if m.year == year:
            found.setdefault(
                m.campaign.id, (m.campaign.id, m.campaign.title, m.campaign.kind, other.name)
            )
    return found


def _source(doc: ManifestText, code: str, year: int, today: dt.date) -> None:
    name = cog().regions[code]
    source = CommentedMap()
    set_value(source, "publisher", f"{TODO} : organisme qui a publié la liste, ex. ARS {name}")
    set_value(source, "url", f"{TODO} : adresse de la page où la liste est publiée")
    set_value(
        source,
        "retrieved",
        today,
        "À VÉRIFIER : date où le fichier a été téléchargé (AAAA-MM-JJ)",
        2,
    )
    set_value(
        source,
        "licence",
        DEFAULT_LICENCE,
        f"À VÉRIFIER : licence indiquée par l'éditeur, l'une de {', '.join(LICENCE_IDS)}",
        2,
    )
    doc.put("source", source)
    doc.put("region", code, name)  # quoted by the resolver: "01" must not be read as the number 1
    doc.put("year", year)


def _campaign(doc: ManifestText, data_path: Path, slug: str, year: int) -> None:
    campaign = CommentedMap()
    siblings = _sibling_campaigns(data_path, year)
    if len(siblings) == 1:
        _sibling(doc, campaign, *next(iter(siblings.values())))
        return
    if siblings:
        doc.notes.append(
            "le dossier décrit déjà plusieurs campagnes ("
            + ", ".join(f"{c} dans {o}" for c, _, _, o in siblings.values())
            + ") : aucune n'est reprise ; reprendre l'identifiant de la bonne s'il y a lieu"
        )
    doc.to_check.append("campaign.title")
    set_value(
        campaign,
        "id",
        f"{slug}-{year}-aap",
        "identifiant stable : minuscules, chiffres et tirets",
        2,
    )
    set_value(
        campaign,
        "title",
        f"Appel à projets « 1000 premiers jours » {year}",
        "À VÉRIFIER : intitulé exact de l'appel",
        2,
    )
    set_value(
        campaign,
        "kind",
        "call",
        " | ".join(f"{kind} ({label})" for kind, label in CAMPAIGN_KIND_LABELS.items()),
        2,
    )
    doc.put("campaign", campaign)
    doc.comment(
        "envelope_eur: 300000   # enveloppe annoncée de l'appel, si elle est publiée", indent=2
    )


def _sibling(
    doc: ManifestText, campaign: CommentedMap, cid: str, title: str, kind: str, other: str
) -> None:
    """The campaign of another file of the folder, proposed: never silent, it is marked, listed
    and printed."""
    set_value(
        campaign,
        "id",
        cid,
        f"À VÉRIFIER : repris de {other} (« {title} ») : les deux fichiers décrivent-ils "
        "la même campagne ? sinon, un identifiant propre",
        2,
    )
    set_value(campaign, "title", title, f"À VÉRIFIER : intitulé repris de {other}", 2)
    set_value(campaign, "kind", kind, f"À VÉRIFIER : repris de {other}", 2)
    doc.put("campaign", campaign)
    doc.to_check += ["campaign.id", "campaign.title"]
    doc.notes.append(
        f"campagne reprise de {other} : {cid} « {title} » ({kind}) ; à vérifier, "
        "ou donner un campaign.id propre si ce fichier décrit une autre campagne"
    )


def _columns(
    doc: ManifestText,
    columns: dict[str, str],
    by_funder: dict[str, str],
    year_note: str | None = None,
) -> None:
    mapped = CommentedMap()
    for name, label in columns.items():
        set_value(
            mapped,
            name,
            label,
            "le nom de chaque feuille"
            if label == SHEET_COLUMN
            else "l'intertitre de chaque liste"
            if label == HEADING_COLUMN
            else year_note
            if name == "year"
            else None,
            2,
        )
    if by_funder:
        set_value(
            mapped,
            "amount_eur_by_funder",
            CommentedMap(by_funder),
            "une ligne publiée par financeur",
            2,
        )
    if mapped:
        doc.put("columns", mapped)
        return
    doc.to_complete.append("columns")
    mapped.fa.set_flow_style()  # written `columns: {}`, the comment beside it says what to write
    doc.put(
        "columns",
        mapped,
        f"{TODO} : aucun en-tête reconnu ; écrire « champ: en-tête tel qu'écrit », "
        "un par ligne (voir raw/README.md)",
    )


def _left_out(doc: ManifestText, unmapped: list[str], raw: RawTable) -> None:
    """The headers not taken, and those holding personal data, said under `columns`; amounts that
    are not awarded (« Montant demandé ») written under `ignore:`, which says they were seen."""
    requested = [x for x in unmapped if not_awarded(x)]
    if requested:
        seq = CommentedSeq(requested)
        seq.fa.set_flow_style()
        doc.put(
            "ignore",
            seq,
            "À VÉRIFIER : montants demandés ou coûts, pas les montants accordés ; non publiés",
        )
        doc.to_check.append("ignore")
    unmapped = [x for x in unmapped if x not in requested]
    if unmapped:
        doc.comment(
            "Colonnes non reprises, donc non publiées : "
            + ", ".join(f"« {x} »" for x in unmapped)
            + "."
        )
        doc.comment(
            "Pour en reprendre une, l'ajouter sous columns (champs possibles : raw/README.md)."
        )
    personal = sorted({p.column for p in personal_data(raw) if p.column})
    if personal:
        cols = ", ".join(f"« {x} »" for x in personal)
        doc.comment(
            f"ATTENTION : {cols} contient des e-mails ou des téléphones : retirer ces données "
            "du fichier avant de le soumettre (raw/ est public)."
        )
        doc.notes.append(
            f"données personnelles dans {cols} : à retirer du fichier avant de le soumettre"
        )


def _filter(doc: ManifestText, state_column: str | None) -> None:
    if not state_column:
        return
    keep = CommentedSeq([demarches.ACCEPTED])
    keep.fa.set_flow_style()
    doc.put(
        "filter",
        CommentedMap(column=state_column, keep=keep),
        "export démarches-simplifiées : seuls les dossiers acceptés sont des lauréats ; refusés, classés "
        "sans suite, en instruction ou en construction sont écartés et comptés",
    )


def _defaults(
    doc: ManifestText, table: str, columns: dict[str, str], by_funder: dict[str, str]
) -> None:
    if table != "awards" or "funder" in columns or by_funder:
        return
    doc.to_check.append("defaults.funder")
    defaults = CommentedMap()
    set_value(
        defaults,
        "funder",
        "NC",
        "À VÉRIFIER : le fichier ne dit pas qui finance ; NC = non communiqué, "
        "sinon ARS, DREETS, Commissaire pauvreté, CAF…",
        2,
    )
    doc.put("defaults", defaults)


def _declared(doc: ManifestText, total: tuple[int, float] | None) -> None:
    """The announced figures, commented out: only the contributor knows them (the file's TOTAL is offered)."""
    doc.to_check.append("declared")
    doc.comment(
        "declared:   # À COMPLÉTER si l'éditeur annonce des chiffres (communiqué, page web, "
        "ligne TOTAL), puis décommenter"
    )
    doc.comment("  awards_count: 0   # nombre de lauréats annoncé")
    if total:
        doc.comment(
            f"  total_amount_eur: {total[1]:.2f}   # lu sur la ligne TOTAL du fichier (ligne {total[0]})"
        )
    else:
        doc.comment("  total_amount_eur: 0   # montant total annoncé, en euros")
    doc.comment("partial: true   # si la liste ne nomme qu'une partie des lauréats annoncés")


def _location_notes(data_path: Path, slug: str, year: int) -> list[str]:
    folder = data_path.resolve().parent
    if (
        folder.name == str(year)
        and folder.parent.name == slug
        and folder.parent.parent.name == "raw"
    ):
        return []
    return [f"pour la publication, le fichier et son manifeste vont dans raw/{slug}/{year}/"]
