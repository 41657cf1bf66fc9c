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
from charset_normalizer import from_bytes

from pipelines.common.geography import cog, region_code
from pipelines.common.problems import SourceError
from pipelines.common.text import text_key
from pipelines.common.values import parse_amount
from pipelines.read.headers import (
    AMOUNT_FIELDS,
    SPELLINGS,
    funder_of_column,
    match_header,
    propose_columns,
)
from pipelines.read.layout import HEADER_SEARCH_ROWS, PLACE, ROW, RawTable, build_table, header_labels
from pipelines.read.workbook import build_sheets_table
from pipelines.read.manifest import (
    DEFAULT_SKIP,
    EXTENSIONS,
    SHEET_COLUMN,
    ReadOptions,
    load_manifest,
    manifest_path_for,
)
from pipelines.read.readers import GridRow, reader_for
from pipelines.read.readers.items import DEFAULT_PATTERN, HEADING_COLUMN, UNMATCHED_COLUMN
from pipelines.stage.fields import parser_for
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


def region_slug(code: str) -> str:
    return text_key(cog().regions[code]).replace(" ", "-")


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
    options: dict = _csv_options(data_path) if fmt == "csv" else {}
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
    sheets = _sheets_sharing_a_header(rows, spellings) if options.pop("sheets", None) else None
    if sheets is None and fmt in ("xlsx", "ods"):
        rows = [r for r in rows if r.place == rows[0].place]  # the first sheet, as the pipeline reads it
    header = rows[0] if "items" in options else _find_header(
        [r for r in rows if sheets is None or r.place == sheets[1][0]], spellings, data_path)
    depth = _header_depth(rows, header, spellings)
    if sheets is not None:
        options["sheets"] = sheets[0]
        raw = build_sheets_table(rows, wanted=[c for c in header_labels([header], len(header.cells)) if c],
                                 header_row=None, header_rows=depth, skip_patterns=list(DEFAULT_SKIP),
                                 path=data_path)
    else:
        raw = build_table(rows, wanted=[], header_row=header.number, header_rows=depth,
                          skip_patterns=list(DEFAULT_SKIP), path=data_path)
    columns, by_funder, unmapped = propose_columns(raw.labels, spellings)
    if sheets is not None and "department" not in columns and _departements(sheets[1], code):
        columns["department"] = SHEET_COLUMN
    if "items" in options:  # the pattern's parts are named after the fields
        columns = {name: name for name in raw.labels if name in spellings}
        headings = sorted({r.cells[-1] for r in rows[1:] if r.cells[-1]})
        if "department" not in columns and headings and _departements(headings, code):
            columns["department"] = HEADING_COLUMN
        unmapped = []
    unmapped = [x for x in unmapped if x not in (SHEET_COLUMN, HEADING_COLUMN, UNMATCHED_COLUMN)]
    return _compose(data_path, code, year, table, fmt, options, rows, header, raw, columns, by_funder, unmapped,
                    today or dt.date.today(), depth)


def _sheets_sharing_a_header(rows: list[GridRow], spellings: dict[str, tuple[str, ...]]
                             ) -> tuple[str, list[str]] | None:
    """Several sheets with the same header (one per département): (`read.sheets` value, their names)."""
    places = list(dict.fromkeys(r.place for r in rows))
    if len(places) < 2:
        return None
    by_header: dict[tuple[str, ...], list[str]] = {}
    for place in places:
        try:
            header = _find_header([r for r in rows if r.place == place], spellings, Path(str(place)))
        except SourceError:
            continue
        key = tuple(text_key(c) for c in header.cells if c)
        if any(match_header(c, spellings) or funder_of_column(c) for c in header.cells if c):
            by_header.setdefault(key, []).append(place)
    shared = max(by_header.values(), key=len, default=[])
    if len(shared) < 2:
        return None
    # "all": a sheet without this header (synthèse, notes) is then skipped and counted, not ignored unseen.
    return "all", shared


def _departements(names: list[str], region: str) -> bool:
    """Every name is a département of the region: the sheet names say where each laureate is."""
    parse = parser_for("department_code", ",", region)
    try:
        return all(parse(n) for n in names)
    except ValueError:
        return False


def _header_depth(rows: list[GridRow], header: GridRow, spellings: dict[str, tuple[str, ...]]) -> int:
    """2 when the row under the header holds sub-labels (« ARS », « DREETS » under a merged
    « Montant accordé (€) »): read over both rows, the headers name more fields or funders."""
    top = list(rows[:HEADER_SEARCH_ROWS + 1])
    i = next((k for k, r in enumerate(top) if (r.place, r.number) == (header.place, header.number)), None)
    if i is None or i + 1 >= len(top) or top[i + 1].place != header.place:
        return 1
    block = [header, top[i + 1]]
    width = max(len(r.cells) for r in block)

    def named(labels: list[str]) -> int:
        columns, by_funder, _ = propose_columns(labels, spellings)
        return len(columns) + len(by_funder)

    return 2 if named(header_labels(block, width)) > named(header_labels(block[:1], width)) else 1


def _csv_options(path: Path) -> dict[str, str]:
    """Encoding and delimiter as the CSV reader would detect them, written down for the contributor."""
    from pipelines.read.readers.csv import decode, sniff_delimiter

    data = path.read_bytes()
    if not data.strip():
        raise SourceError(path, "fichier vide", fix="déposer le fichier tel que publié, avec ses lignes")
    encoding = "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "utf_16"]).best()
        encoding = "cp1252" if best is None or best.encoding in ("latin_1", "iso8859_15", "cp1252") else best.encoding
    return {"encoding": encoding, "delimiter": sniff_delimiter(decode(path, data, encoding))}


def _find_header(rows: list[GridRow], spellings: dict[str, tuple[str, ...]], path: Path) -> GridRow:
    """The row among the first ones whose cells look most like known headers; else the fullest row."""
    candidates = [r for r in rows[:HEADER_SEARCH_ROWS] if sum(1 for c in r.cells if c) >= 2]
    if not candidates:
        raise SourceError(path, "aucun tableau trouvé (pas de ligne d'au moins deux cellules)",
                          place=f"{HEADER_SEARCH_ROWS} premières lignes",
                          fix="vérifier que le fichier contient la liste publiée sous forme de tableau")

    def score(r: GridRow) -> int:
        return sum(1 for c in r.cells if c and (match_header(c, spellings) or funder_of_column(c)))

    best = max(candidates, key=score)  # max keeps the first row among equals
    if score(best) == 0:
        best = max(candidates, key=lambda r: sum(1 for c in r.cells if c))
    return best


def _decimal(raw: RawTable, labels: list[str]) -> str:
    """Comma unless the amounts are plainly written with a decimal point ("12500.50")."""
    comma = point = 0
    for label in labels:
        column = _frame_column(raw, label)
        for value in raw.frame[column].dropna() if column else []:
            text = re.sub(r"[\s\u00a0\u202f€]|eur(os?)?", "", str(value), flags=re.I)
            comma += bool(re.fullmatch(r"[\d.]*\d,\d{1,2}", text))
            point += bool(re.fullmatch(r"[\d,]*\d\.\d{1,2}", text))
    return "." if point > comma else ","


def _frame_column(raw: RawTable, label: str) -> str | None:
    return next((c for c, x in zip(raw.frame.columns, raw.labels) if x == label), None)


_SUBTOTAL = re.compile(r"^\W*sous[- ]?total", re.I)


def _total_line(rows: list[GridRow], raw: RawTable, labels: list[str], decimal: str) -> tuple[int, float] | None:
    """The amount on the file's TOTAL line, offered as the declared total for the contributor to confirm."""
    by_number = {(r.place, r.number): r for r in rows}
    indexes = [raw.labels.index(x) for x in labels if x in raw.labels]
    # A « Sous-total Paris » closes a part of the list, never the whole: only a grand total is offered.
    grand = [s for s in raw.skipped if s.kind == "total" and not _SUBTOTAL.match(s.text)]
    if len({s.place for s in grand}) > 1:
        return None  # one TOTAL per sheet: none of them is the campaign's
    for skipped in grand:
        row = by_number.get((skipped.place, skipped.row))
        if row is None:
            continue
        total = 0.0
        for i in indexes:
            try:
                total += parse_amount(row.cells[i], decimal) if i < len(row.cells) and row.cells[i] else 0.0
            except ValueError:
                pass
        if total:
            return skipped.row, total
    return None


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
             by_funder: dict[str, str], unmapped: list[str], today: dt.date, depth: int = 1) -> Draft:
    name = cog().regions[code]
    slug = region_slug(code)
    amount_labels = list(by_funder.values()) + [columns[k] for k in AMOUNT_FIELDS if k in columns]
    decimal = _decimal(raw, amount_labels)
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
    long_lines = _long_lines(raw) if fmt == "csv" else []
    if long_lines and "project_title" in columns:
        width, counts = long_lines[0], long_lines[1]
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

    if table == "awards" and "funder" not in columns and not by_funder:
        to_check.append("defaults.funder")
        lines += ["defaults:",
                  "  funder: NC   # À VÉRIFIER : le fichier ne dit pas qui finance ; NC = non communiqué, "
                  "sinon ARS, DREETS, Commissaire pauvreté, CAF…"]
    if table == "awards":
        total = _total_line(rows, raw, amount_labels, decimal)
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
    d.manifest_path.write_text(d.text, encoding="utf-8")


def _long_lines(raw: RawTable) -> tuple[int, list[int]] | list:
    """The header's width and the lines with more fields than it (a delimiter in an unquoted text)."""
    named = [i for i, label in enumerate(raw.labels) if label]
    width = named[-1] + 1 if named else 0
    extra = [c for c in raw.frame.columns[width:] if c not in (ROW, PLACE)]
    if not extra:
        return []
    long = raw.frame[extra].notna().any(axis=1)
    return (width, [int(r) for r in raw.frame.loc[long, ROW]]) if long.any() else []
