"""`mille-jours new-source`: draft the manifest of a file by looking at it.

The file is read with the same readers and layout as the pipeline, so what the draft proposes is
what the pipeline will see. Whatever only the contributor knows (who published the list, where,
which totals were announced) is left as a commented TODO or as the `À COMPLÉTER` placeholder:
the draft loads as it is, and `mille-jours validate` refuses it until the placeholders are gone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipelines.common.geography import cog, region_code
from pipelines.common.problems import SourceError
from pipelines.common.text import slug
from pipelines.contribute import demarches
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
from pipelines.read.headers import AMOUNT_FIELDS, SPELLINGS, propose_columns
from pipelines.read.layout import RawTable, build_table, header_labels
from pipelines.read.manifest import (
    DEFAULT_SKIP,
    EXTENSIONS,
    SHEET_COLUMN,
    ReadOptions,
    load_manifest,
    manifest_path_for,
)
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


def region_slug(code: str) -> str:
    return slug(cog().regions[code])


def draft(data_path: Path, region: str, year: int, table: str = "awards",
          today: dt.date | None = None) -> Draft:
    """Look at the file and draft its manifest. A SourceError when the file cannot be read."""
    code = region_code(region)
    if code is None:
        raise SourceError("--region", f"région inconnue « {region} »", place="ligne de commande",
                          fix=f"donner le code INSEE (ex. 28) ou le nom exact : {', '.join(cog().region_names())}",
                          status="bad_usage")
    ext = data_path.suffix.lower().lstrip(".")
    if ext not in EXTENSIONS:
        raise SourceError(data_path, f"format « .{ext} » non pris en charge", status="bad_usage",
                          fix="déposer la liste en CSV, XLSX, ODS, PDF ou HTML, telle que publiée")
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
        raise SourceError(data_path, f"fichier illisible comme {fmt} ({type(exc).__name__}: {exc})",
                          fix=f"vérifier que le fichier est bien un {fmt} non protégé, tel que publié")
    spellings = SPELLINGS[table]
    sheets = sheets_sharing_a_header(rows, spellings) if options.pop("sheets", None) else None
    if sheets is None and fmt in ("xlsx", "ods"):
        rows = [r for r in rows if r.place == rows[0].place]  # the first sheet, as the pipeline reads it
    header = rows[0] if "items" in options else find_header(
        [r for r in rows if sheets is None or r.place == sheets[1][0]], spellings, data_path)
    depth = header_depth(rows, header, spellings)
    if sheets is not None:
        options["sheets"] = sheets[0]
        raw = build_sheets_table(rows, wanted=[c for c in header_labels([header], len(header.cells)) if c],
                                 header_row=None, header_rows=depth, skip_patterns=list(DEFAULT_SKIP),
                                 path=data_path)
    else:
        raw = build_table(rows, wanted=[], header_row=header.number, header_rows=depth,
                          skip_patterns=list(DEFAULT_SKIP), path=data_path)
    export = None
    if table == "awards" and sheets is None and "items" not in options and demarches.is_export(raw.labels):
        # Drafted for a copy without the applicants' personal columns: the export itself stays private.
        drop = demarches.personal_columns(raw)
        copy, data, rows = demarches.publishable_copy(data_path, [r for r in rows if r.place == header.place], drop)
        export = (data_path, copy, data, [raw.labels[i] for i in drop])
        data_path, fmt, options = copy, "csv", {"encoding": "utf-8", "delimiter": ";"}
        header = next(r for r in rows if r.number == header.number)
        raw = build_table(rows, wanted=[], header_row=header.number, header_rows=1,
                          skip_patterns=list(DEFAULT_SKIP), path=data_path)
    columns, by_funder, unmapped = propose_columns(raw.labels, spellings)
    if sheets is not None and "department" not in columns and departements(sheets[1], code):
        columns["department"] = SHEET_COLUMN
    if "items" in options:  # the pattern's parts are named after the fields
        columns = {name: name for name in raw.labels if name in spellings}
        headings = sorted({r.cells[-1] for r in rows[1:] if r.cells[-1]})
        if "department" not in columns and headings and departements(headings, code):
            columns["department"] = HEADING_COLUMN
        unmapped = []
    unmapped = [x for x in unmapped if x not in (SHEET_COLUMN, HEADING_COLUMN, UNMATCHED_COLUMN)]
    d = _compose(data_path, code, year, table, fmt, options, rows, header, raw, columns, by_funder, unmapped,
                 today or dt.date.today(), depth, demarches.STATE_COLUMN if export else None)
    if export:
        original, copy, data, dropped = export
        d.copy = (copy, data)
        d.notes.insert(0, f"export démarches-simplifiées : copie publiable écrite dans {copy.name}, sans les colonnes "
                          f"personnelles ({', '.join(f'« {x} »' for x in dropped)}) ; seuls les dossiers « accepté » "
                          f"sont repris (filter). GARDER L'ORIGINAL {original.name} PRIVÉ : le sortir de raw/, ne "
                          "jamais le soumettre (il contient des données personnelles)")
    return d


def _yaml(value: object) -> str:
    """A scalar as YAML: plain when it reads back the same, else quoted."""
    if isinstance(value, str):
        plain = value and not re.search(r"[:#'\"{}\[\],&*!|>%@`]|^[\s\-?]|\s$", value)
        try:
            plain = plain and yaml.safe_load(value) == value
        except yaml.YAMLError:
            plain = False
        return value if plain else json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


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


def _compose(data_path: Path, code: str, year: int, table: str, fmt: str, options: dict[str, str],
             rows: list[GridRow], header: GridRow, raw: RawTable, columns: dict[str, str],
             by_funder: dict[str, str], unmapped: list[str], today: dt.date, depth: int = 1,
             state_column: str | None = None) -> Draft:
    name = cog().regions[code]
    slug = region_slug(code)
    amount_labels = list(by_funder.values()) + [columns[k] for k in AMOUNT_FIELDS if k in columns]
    decimal = decimal_mark(raw, amount_labels)
    to_complete = ["source.publisher", "source.url"]
    to_check = ["source.retrieved", "source.licence"]
    notes: list[str] = []
    places = {r.place for r in rows if r.place}

    lines = [
        f"# Manifeste préparé par `mille-jours new-source` le {today.isoformat()} pour {data_path.name}.",
        f"# Remplacer chaque « {TODO} », relire chaque « À VÉRIFIER », puis lancer :",
        f"#   mille-jours validate {data_path.with_suffix('.yaml').name}",
        "# Chaque clé est expliquée dans raw/README.md.",
        "source:",
        f"  publisher: {_yaml(TODO + ' : organisme qui a publié la liste, ex. ARS ' + name)}",
        f"  url: {_yaml(TODO + ' : adresse de la page où la liste est publiée')}",
        f"  retrieved: {today.isoformat()}   # À VÉRIFIER : date où le fichier a été téléchargé (AAAA-MM-JJ)",
        "  licence: etalab-2.0   # À VÉRIFIER : licence indiquée par l'éditeur",
        f"region: {_yaml(code)}   # {name}",
        f"year: {year}",
        "campaign:",
    ]
    sibling = _sibling_campaign(data_path, year)
    if sibling:
        cid, title, kind, other = sibling
        lines += [f"  id: {cid}   # repris de {other} : les deux fichiers décrivent la même campagne",
                  f"  title: {_yaml(title)}", f"  kind: {kind}"]
    else:
        to_check.append("campaign.title")
        lines += [f"  id: {slug}-{year}-aap   # identifiant stable : minuscules, chiffres et tirets",
                  f"  title: {_yaml(f'Appel à projets « 1000 premiers jours » {year}')}"
                  "   # À VÉRIFIER : intitulé exact de l'appel",
                  "  kind: call   # call (appel à projets) | renewal (reconduction) | training (formation)",
                  "  # envelope_eur: 300000   # enveloppe annoncée de l'appel, si elle est publiée"]
    lines.append(f"table: {table}")

    read = []
    if fmt == "csv":
        read += [f"  encoding: {options['encoding']}", f"  delimiter: {json.dumps(options['delimiter'])}"]
    if options.get("items"):
        read.append(f"  items: {_yaml(options['items'])}   # liste à puces (<li>) sans tableau : une partie "
                    "nommée par champ ; l'intertitre au-dessus de chaque liste est la colonne « (intertitre) »")
    multi = options.get("sheets")
    if multi is not None:
        names = ", ".join(x for x in dict.fromkeys(r.place for r in rows) if x)
        read.append(f"  sheets: {multi}   # le tableau est sur plusieurs feuilles ({names}) ; une feuille sans "
                    "cet en-tête (synthèse) est ignorée et comptée")
    elif len(places) > 1 and fmt in ("xlsx", "ods") and header.place:
        read.append(f"  sheet: {_yaml(header.place)}")
    read.append(f"  decimal: {json.dumps(decimal)}   # séparateur décimal des montants")
    header_text = " | ".join(c for c in header.cells if c)
    if fmt in ("csv", "xlsx", "ods") and multi is None:
        read.append(f"  header_row: {header.number}   # en-tête trouvé ici : "
                    f"{header_text[:80] + ('…' if len(header_text) > 80 else '')}")
    if depth > 1:
        read.append(f"  header_rows: {depth}   # en-tête sur {depth} lignes : intitulé fusionné au-dessus "
                    "de sous-intitulés")
        notes.append(f"en-tête sur {depth} lignes : « {' | '.join(dict.fromkeys(x for x in raw.labels if x))} »")
    if fmt not in ("csv", "xlsx", "ods"):
        notes.append(f"en-tête reconnu : « {header_text} » (repéré à chaque page ou tableau)")
    too_long = long_lines(raw) if fmt == "csv" else []
    if too_long and "project_title" in columns:
        width, counts = too_long[0], too_long[1]
        read.append(f"  extra_fields_into: {_yaml(columns['project_title'])}   # À VÉRIFIER : {len(counts)} ligne(s) "
                    f"({', '.join(str(r) for r in counts)}) ont plus de {width} champs (un séparateur dans un texte "
                    "sans guillemets) : le champ en trop est rattaché à l'intitulé")
        to_check.append("read.extra_fields_into")
    read.append('  # skip_rows_matching: ["^Sous-total"]   # lignes à ignorer en plus des totaux')
    lines += ["read:", *read]

    if columns or by_funder:
        lines.append("columns:")
    else:
        to_complete.append("columns")
        lines.append(f"columns: {{}}   # {TODO} : aucun en-tête reconnu ; écrire « champ: en-tête tel "
                     "qu'écrit », un par ligne (voir raw/README.md)")
    for name_, label in columns.items():
        lines.append(f"  {name_}: {_yaml(label)}" + ("   # le nom de chaque feuille" if label == SHEET_COLUMN else
                                                    "   # l'intertitre de chaque liste" if label == HEADING_COLUMN
                                                    else ""))
    if by_funder:
        lines.append("  amount_eur_by_funder:   # une ligne publiée par financeur")
        lines += [f"    {funder}: {_yaml(label)}" for funder, label in by_funder.items()]
    if unmapped:
        lines.append("# Colonnes non reprises, donc non publiées : "
                     + ", ".join(f"« {x} »" for x in unmapped) + ".")
        lines.append("# Pour en reprendre une, l'ajouter sous columns (champs possibles : raw/README.md).")
    personal = sorted({p.column for p in personal_data(raw) if p.column})
    if personal:
        cols = ", ".join(f"« {x} »" for x in personal)
        lines.append(f"# ATTENTION : {cols} contient des e-mails ou des téléphones : retirer ces données "
                     "du fichier avant de le soumettre (raw/ est public).")
        notes.append(f"données personnelles dans {cols} : à retirer du fichier avant de le soumettre")

    if state_column:
        lines += ["filter:   # export démarches-simplifiées : seuls les dossiers acceptés sont des lauréats ; "
                  "refusés, classés sans suite, en instruction ou en construction sont écartés et comptés",
                  f"  column: {_yaml(state_column)}", f"  keep: [{_yaml(demarches.ACCEPTED)}]"]
    if table == "awards" and "funder" not in columns and not by_funder:
        to_check.append("defaults.funder")
        lines += ["defaults:",
                  "  funder: NC   # À VÉRIFIER : le fichier ne dit pas qui finance ; NC = non communiqué, "
                  "sinon ARS, DREETS, Commissaire pauvreté, CAF…"]
    if table == "awards":
        total = total_line(rows, raw, amount_labels, decimal)
        lines += ["# declared:   # À COMPLÉTER si l'éditeur annonce des chiffres (communiqué, page web, "
                  "ligne TOTAL), puis décommenter",
                  "#   awards_count: 0   # nombre de lauréats annoncé"]
        if total:
            lines.append(f"#   total_amount_eur: {total[1]:.2f}   # lu sur la ligne TOTAL du fichier "
                         f"(ligne {total[0]})")
        else:
            lines.append("#   total_amount_eur: 0   # montant total annoncé, en euros")
        lines.append("# partial: true   # si la liste ne nomme qu'une partie des lauréats annoncés")
        to_check.append("declared")

    return Draft(data_path, manifest_path_for(data_path), "\n".join(lines) + "\n", header.number, header.place,
                 columns, by_funder, unmapped, to_complete, to_check, notes + _location_notes(data_path, slug, year))


def _location_notes(data_path: Path, slug: str, year: int) -> list[str]:
    folder = data_path.resolve().parent
    if folder.name == str(year) and folder.parent.name == slug and folder.parent.parent.name == "raw":
        return []
    return [f"pour la publication, le fichier et son manifeste vont dans raw/{slug}/{year}/"]


def write(d: Draft, force: bool = False) -> None:
    if d.manifest_path.exists() and not force:
        raise SourceError(d.manifest_path, "un manifeste existe déjà", status="bad_usage",
                          fix="le relire et le corriger à la main, ou relancer avec --force pour le remplacer")
    if d.copy is not None:
        if d.copy[0].exists() and not force:
            raise SourceError(d.copy[0], "une copie publiable existe déjà", status="bad_usage",
                              fix="la relire, ou relancer avec --force pour la remplacer")
        d.copy[0].write_bytes(d.copy[1])
    d.manifest_path.write_text(d.text, encoding="utf-8")
