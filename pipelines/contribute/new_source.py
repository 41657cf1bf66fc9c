"""`mille-jours new-source`: draft the manifest of a file by looking at it.

The file is read with the same readers and layout as the pipeline, so what the draft proposes is
what the pipeline will see. Whatever only the contributor knows (who published the list, where,
which totals were announced) is left as a commented TODO or as the `À COMPLÉTER` placeholder:
the draft loads as it is, and `mille-jours validate` refuses it until the placeholders are gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from pipelines.common.geography import cog, region_code
from pipelines.common.problems import SourceError
from pipelines.common.text import slug
from pipelines.contribute import demarches, headerless
from pipelines.contribute.inspect import (
    csv_options,
    decimal_mark,
    departements,
    find_header,
    header_depth,
    long_lines,
    sheets_sharing_a_header,
    total_line,
)
from pipelines.contribute.manifest_text import ManifestText, set_value
from pipelines.read.headers import AMOUNT_FIELDS, SPELLINGS, not_awarded, propose_columns
from pipelines.read.layout import RawTable, build_table, header_labels
from pipelines.read.manifest import (
    DEFAULT_SKIP,
    EXTENSIONS,
    SHEET_COLUMN,
    ReadOptions,
    load_manifest,
    manifest_path_for,
)
from pipelines.read.positions import named_by_position
from pipelines.read.readers import GridRow, reader_for
from pipelines.read.readers.items import (
    DEFAULT_PATTERN,
    HEADING_COLUMN,
    UNMATCHED_COLUMN,
)
from pipelines.read.workbook import build_sheets_table
from pipelines.stage.quality import TODO, personal_data


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
    by_position: bool = False  # no header found: columns by their place, under `header_row`


def region_slug(code: str) -> str:
    return slug(cog().regions[code])


def draft(
    data_path: Path, region: str, year: int, table: str = "awards", today: dt.date | None = None
) -> Draft:
    """Look at the file and draft its manifest. A SourceError when the file cannot be read."""
    code = region_code(region)
    if code is None:
        raise SourceError(
            "--region",
            f"région inconnue « {region} »",
            place="ligne de commande",
            fix=f"donner le code INSEE (ex. 28) ou le nom exact : {', '.join(cog().region_names())}",
            status="bad_usage",
        )
    ext = data_path.suffix.lower().lstrip(".")
    if ext not in EXTENSIONS:
        raise SourceError(
            data_path,
            f"format « .{ext} » non pris en charge",
            status="bad_usage",
            fix="déposer la liste en CSV, XLSX, ODS, PDF ou HTML, telle que publiée",
        )
    fmt = EXTENSIONS[ext]
    options: dict = csv_options(data_path) if fmt == "csv" else {}
    if fmt in ("xlsx", "ods"):
        options["sheets"] = "all"
    try:
        rows = reader_for(fmt)(data_path, ReadOptions(**options))
    except SourceError as exc:
        if fmt != "html" or not exc.message.startswith("aucun tableau"):
            raise
        # A web article listing laureates as <li> items: read them with the usual pattern.
        options["items"] = DEFAULT_PATTERN
        rows = reader_for(fmt)(data_path, ReadOptions(**options))
    except Exception as exc:  # a reader library failing on a corrupt file
        raise SourceError(
            data_path,
            f"fichier illisible comme {fmt} ({type(exc).__name__}: {exc})",
            fix=f"vérifier que le fichier est bien un {fmt} non protégé, tel que publié",
        ) from exc
    spellings = SPELLINGS[table]
    sheets = sheets_sharing_a_header(rows, spellings) if options.pop("sheets", None) else None
    if sheets is None and fmt in ("xlsx", "ods"):
        rows = [
            r for r in rows if r.place == rows[0].place
        ]  # the first sheet, as the pipeline reads it
    header = (
        rows[0]
        if "items" in options
        else find_header(
            [r for r in rows if sheets is None or r.place == sheets[1][0]], spellings, data_path
        )
    )
    depth = header_depth(rows, header, spellings)
    if sheets is not None:
        options["sheets"] = sheets[0]
        raw = build_sheets_table(
            rows,
            wanted=[c for c in header_labels([header], len(header.cells)) if c],
            header_row=None,
            header_rows=depth,
            skip_patterns=list(DEFAULT_SKIP),
            path=data_path,
        )
    else:
        # A laureate where the header should be: the columns by their place, under the line above.
        above = None if "items" in options else headerless.line_above(rows, header)
        if above is not None:
            first_note = headerless.note(rows, above)
            header, depth = above, 1
            options.update(header_row=above.number, columns_by_position=True)
        raw = build_table(
            rows,
            wanted=[],
            header_row=header.number,
            header_rows=depth,
            skip_patterns=list(DEFAULT_SKIP),
            path=data_path,
        )
        raw = named_by_position(raw) if above is not None else raw
    export = None
    if (
        table == "awards"
        and sheets is None
        and "items" not in options
        and demarches.is_export(raw.labels)
    ):
        # Drafted for a copy without the applicants' personal columns: the export itself stays private.
        drop = demarches.personal_columns(raw)
        copy, data, rows = demarches.publishable_copy(
            data_path, [r for r in rows if r.place == header.place], drop
        )
        export = (data_path, copy, data, [raw.labels[i] for i in drop])
        data_path, fmt, options = copy, "csv", {"encoding": "utf-8", "delimiter": ";"}
        header = next(r for r in rows if r.number == header.number)
        raw = build_table(
            rows,
            wanted=[],
            header_row=header.number,
            header_rows=1,
            skip_patterns=list(DEFAULT_SKIP),
            path=data_path,
        )
    columns, by_funder, unmapped = propose_columns(raw.labels, spellings)
    if options.get("columns_by_position"):
        columns = headerless.positional_columns(raw)
        unmapped = [x for x in raw.labels if x not in columns.values()]
    if sheets is not None and "department" not in columns and departements(sheets[1], code):
        columns["department"] = SHEET_COLUMN
    if "items" in options:  # the pattern's parts are named after the fields
        columns = {name: name for name in raw.labels if name in spellings}
        headings = sorted({r.cells[-1] for r in rows[1:] if r.cells[-1]})
        if "department" not in columns and headings and departements(headings, code):
            columns["department"] = HEADING_COLUMN
        unmapped = []
    unmapped = [x for x in unmapped if x not in (SHEET_COLUMN, HEADING_COLUMN, UNMATCHED_COLUMN)]
    d = _compose(
        data_path,
        code,
        year,
        table,
        fmt,
        options,
        rows,
        header,
        raw,
        columns,
        by_funder,
        unmapped,
        today or dt.date.today(),
        depth,
        demarches.STATE_COLUMN if export else None,
    )
    if options.get("columns_by_position"):
        d.notes.insert(0, first_note)
        d.by_position = True
        d.to_check.append("columns")
    if export:
        original, copy, data, dropped = export
        d.copy = (copy, data)
        d.notes.insert(
            0,
            f"export démarches-simplifiées : copie publiable écrite dans {copy.name}, sans les colonnes "
            f"personnelles ({', '.join(f'« {x} »' for x in dropped)}) ; seuls les dossiers « accepté » "
            f"sont repris (filter). GARDER L'ORIGINAL {original.name} PRIVÉ : le sortir de raw/, ne "
            "jamais le soumettre (il contient des données personnelles)",
        )
    return d


def _sibling_campaign(data_path: Path, year: int) -> tuple[str, str, str, str] | None:
    """The campaign already described beside the file (e.g. its envelopes): awards must link to it."""
    found = {}
    for other in sorted(data_path.parent.glob("*.yaml")):
        if other == manifest_path_for(data_path):
            continue
        try:
            m = load_manifest(other)
        except SourceError:
            continue
        if m.year == year:
            found[m.campaign.id] = (m.campaign.id, m.campaign.title, m.campaign.kind, other.name)
    return next(iter(found.values())) if len(found) == 1 else None


def _compose(
    data_path: Path,
    code: str,
    year: int,
    table: str,
    fmt: str,
    options: dict[str, str],
    rows: Sequence[GridRow],
    header: GridRow,
    raw: RawTable,
    columns: dict[str, str],
    by_funder: dict[str, str],
    unmapped: list[str],
    today: dt.date,
    depth: int = 1,
    state_column: str | None = None,
) -> Draft:
    slug = region_slug(code)
    amount_labels = list(by_funder.values()) + [columns[k] for k in AMOUNT_FIELDS if k in columns]
    decimal = decimal_mark(raw, amount_labels)
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
    _read(doc, fmt, options, rows, header, raw, columns, decimal, depth)
    _columns(doc, columns, by_funder)
    _left_out(doc, unmapped, raw)
    _filter(doc, state_column)
    _defaults(doc, table, columns, by_funder)
    if table == "awards":
        _declared(doc, total_line(rows, raw, amount_labels, decimal))
    return Draft(
        data_path,
        manifest_path_for(data_path),
        doc.text(),
        header.number,
        header.place,
        columns,
        by_funder,
        unmapped,
        doc.to_complete,
        doc.to_check,
        doc.notes + _location_notes(data_path, slug, year),
    )


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
    set_value(source, "licence", "etalab-2.0", "À VÉRIFIER : licence indiquée par l'éditeur", 2)
    doc.put("source", source)
    doc.put("region", code, name)  # quoted by the resolver: "01" must not be read as the number 1
    doc.put("year", year)


def _campaign(doc: ManifestText, data_path: Path, slug: str, year: int) -> None:
    campaign = CommentedMap()
    sibling = _sibling_campaign(data_path, year)
    if sibling:
        cid, title, kind, other = sibling
        set_value(
            campaign,
            "id",
            cid,
            f"repris de {other} : les deux fichiers décrivent la même campagne",
            2,
        )
        set_value(campaign, "title", title)
        set_value(campaign, "kind", kind)
        doc.put("campaign", campaign)
        return
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
        "call (appel à projets) | renewal (reconduction) | training (formation)",
        2,
    )
    doc.put("campaign", campaign)
    doc.comment(
        "envelope_eur: 300000   # enveloppe annoncée de l'appel, si elle est publiée", indent=2
    )


def _read(
    doc: ManifestText,
    fmt: str,
    options: dict[str, str],
    rows: Sequence[GridRow],
    header: GridRow,
    raw: RawTable,
    columns: dict[str, str],
    decimal: str,
    depth: int,
) -> None:
    read = CommentedMap()
    if fmt == "csv":
        set_value(read, "encoding", options["encoding"])
        # Quoted though `;` needs not be: a lone punctuation mark reads better between quotes.
        set_value(read, "delimiter", DoubleQuotedScalarString(options["delimiter"]))
    if options.get("items"):
        # Quoted as raw/README.md shows it: a pattern is full of YAML's own punctuation (: # " [ ]).
        set_value(
            read,
            "items",
            DoubleQuotedScalarString(options["items"]),
            "liste à puces (<li>) sans tableau : une partie nommée par champ ; "
            "l'intertitre au-dessus de chaque liste est la colonne « (intertitre) »",
            2,
        )
    multi = options.get("sheets")
    if multi is not None:
        names = ", ".join(x for x in dict.fromkeys(r.place for r in rows) if x)
        set_value(
            read,
            "sheets",
            multi,
            f"le tableau est sur plusieurs feuilles ({names}) ; une feuille sans "
            "cet en-tête (synthèse) est ignorée et comptée",
            2,
        )
    elif len({r.place for r in rows if r.place}) > 1 and fmt in ("xlsx", "ods") and header.place:
        set_value(read, "sheet", header.place)
    set_value(
        read, "decimal", DoubleQuotedScalarString(decimal), "séparateur décimal des montants", 2
    )
    if options.get("columns_by_position"):
        set_value(read, "header_row", header.number, "la ligne au-dessus du premier lauréat", 2)
        set_value(read, "columns_by_position", True, headerless.samples(raw)[:160], 2)
    else:
        _header(doc, read, fmt, header, raw, depth, several_sheets=multi is not None)
    too_long = long_lines(raw) if fmt == "csv" else []
    if too_long and "project_title" in columns:
        width, counts = too_long[0], too_long[1]
        set_value(
            read,
            "extra_fields_into",
            columns["project_title"],
            f"À VÉRIFIER : {len(counts)} ligne(s) ({', '.join(str(r) for r in counts)}) ont plus de {width} "
            "champs (un séparateur dans un texte sans guillemets) : le champ en trop est rattaché à l'intitulé",
            2,
        )
        doc.to_check.append("read.extra_fields_into")
    doc.put("read", read)
    doc.comment(
        'skip_rows_matching: ["^Sous-total"]   # lignes à ignorer en plus des totaux', indent=2
    )


def _header(
    doc: ManifestText,
    read: CommentedMap,
    fmt: str,
    header: GridRow,
    raw: RawTable,
    depth: int,
    several_sheets: bool,
) -> None:
    """Where the header is: its row (and depth) in a sheet or CSV, a note for what is found on every page."""
    header_text = " | ".join(c for c in header.cells if c)
    if fmt in ("csv", "xlsx", "ods") and not several_sheets:
        shown = header_text[:80] + ("…" if len(header_text) > 80 else "")
        set_value(read, "header_row", header.number, f"en-tête trouvé ici : {shown}", 2)
    if depth > 1:
        set_value(
            read,
            "header_rows",
            depth,
            f"en-tête sur {depth} lignes : intitulé fusionné au-dessus de sous-intitulés",
            2,
        )
        doc.notes.append(
            f"en-tête sur {depth} lignes : « {' | '.join(dict.fromkeys(x for x in raw.labels if x))} »"
        )
    if fmt not in ("csv", "xlsx", "ods"):
        doc.notes.append(f"en-tête reconnu : « {header_text} » (repéré à chaque page ou tableau)")


def _columns(doc: ManifestText, columns: dict[str, str], by_funder: dict[str, str]) -> None:
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


def write(d: Draft, force: bool = False) -> None:
    if d.manifest_path.exists() and not force:
        raise SourceError(
            d.manifest_path,
            "un manifeste existe déjà",
            status="bad_usage",
            fix="le relire et le corriger à la main, ou relancer avec --force pour le remplacer",
        )
    if d.copy is not None:
        if d.copy[0].exists() and not force:
            raise SourceError(
                d.copy[0],
                "une copie publiable existe déjà",
                status="bad_usage",
                fix="la relire, ou relancer avec --force pour la remplacer",
            )
        d.copy[0].write_bytes(d.copy[1])
    d.manifest_path.write_text(d.text, encoding="utf-8")
