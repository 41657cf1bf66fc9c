"""`mille-jours new-source`: draft the manifest of a file by looking at it.

The file is read with the same readers and layout as the pipeline, so what the draft proposes is
what the pipeline will see. Whatever only the contributor knows (who published the list, where,
which totals were announced) is left as a commented TODO or as the `À COMPLÉTER` placeholder:
the draft loads as it is, and `mille-jours validate` refuses it until the placeholders are gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pipelines.common.geography import cog, region_code
from pipelines.common.problems import SourceError
from pipelines.contribute import demarches, headerless
from pipelines.contribute.draft_manifest import Draft, compose
from pipelines.contribute.hidden import draft_table, first_visible
from pipelines.contribute.inspect import (
    csv_options,
    departements,
    find_header,
    header_depth,
    json_records,
    sheets_sharing_a_header,
)
from pipelines.contribute.look import Look
from pipelines.contribute.years import spanned_years
from pipelines.read.headers import SPELLINGS, propose_columns
from pipelines.read.hidden import unread_columns
from pipelines.read.layout import RawTable, build_table, header_labels
from pipelines.read.manifest import DEFAULT_SKIP, EXTENSIONS, SHEET_COLUMN, ReadOptions
from pipelines.read.positions import named_by_position
from pipelines.read.readers import GridRow, reader_for
from pipelines.read.readers.grid import hidden_in
from pipelines.read.readers.items import DEFAULT_PATTERN, HEADING_COLUMN, UNMATCHED_COLUMN


def draft(
    data_path: Path, region: str, year: int, table: str = "awards", today: dt.date | None = None
) -> Draft:
    """Look at the file and draft its manifest. A SourceError when the file cannot be read."""
    code = _region(region)
    fmt = _format(data_path)
    options: dict = csv_options(data_path) if fmt == "csv" else {}
    if fmt in ("xlsx", "ods"):
        options["sheets"] = "all"
    records = json_records(data_path) if fmt == "json" else None
    if records:  # several lists of objects: the draft names one, for the contributor to check
        options["records"] = records[0]
    rows = _read_rows(data_path, fmt, options)
    spellings = SPELLINGS[table]
    look = _look(data_path, fmt, options, rows, spellings, code)
    export = None
    plain = table == "awards" and "sheets" not in options and "items" not in options
    if plain and demarches.is_export(look.raw.labels):
        look, export = _publishable_copy(look)
    look.columns, look.by_funder, look.unmapped = _proposed_columns(look, spellings, code)
    spanned = spanned_years(look.raw, look.unmapped) if table == "awards" else None
    if spanned:  # a list over several campaign years: each line's year gives its campaign
        look.columns["year"] = spanned[0]
        look.unmapped.remove(spanned[0])
    look.records_note = records[1] if records else None
    d = compose(look, code, year, table, today or dt.date.today())
    if look.position_note:
        d.notes.insert(0, look.position_note)
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


def _region(region: str) -> str:
    code = region_code(region)
    if code is None:
        raise SourceError(
            "--region",
            f"région inconnue « {region} »",
            place="ligne de commande",
            fix=f"donner le code INSEE (ex. 28) ou le nom exact : {', '.join(cog().region_names())}",
            status="bad_usage",
        )
    return code


def _format(data_path: Path) -> str:
    ext = data_path.suffix.lower().lstrip(".")
    if ext not in EXTENSIONS:
        raise SourceError(
            data_path,
            f"format « .{ext} » non pris en charge",
            status="bad_usage",
            fix="déposer la liste en CSV, XLSX, ODS, PDF, HTML, JSON ou DOCX, telle que publiée",
        )
    return EXTENSIONS[ext]


def _read_rows(data_path: Path, fmt: str, options: dict) -> Sequence[GridRow]:
    """Every row of the file; a web article without <table> read as items (`options` says so)."""
    try:
        return reader_for(fmt)(data_path, ReadOptions(**options))
    except SourceError as exc:
        if fmt != "html" or not exc.message.startswith("aucun tableau"):
            raise
        # A web article listing laureates as <li> items: read them with the usual pattern.
        options["items"] = DEFAULT_PATTERN
        return reader_for(fmt)(data_path, ReadOptions(**options))
    except Exception as exc:  # a reader library failing on a corrupt file
        raise SourceError(
            data_path,
            f"fichier illisible comme {fmt} ({type(exc).__name__}: {exc})",
            fix=f"vérifier que le fichier est bien un {fmt} non protégé, tel que publié",
        ) from exc


def _look(
    data_path: Path,
    fmt: str,
    options: dict,
    rows: Sequence[GridRow],
    spellings: dict[str, tuple[str, ...]],
    code: str,
) -> Look:
    """The header and the table as the pipeline will read them: one sheet, or every sheet sharing
    the header (`options["sheets"]` then names them)."""
    hidden = hidden_in(rows)
    sheets = sheets_sharing_a_header(rows, spellings) if options.pop("sheets", None) else None
    if sheets is None and fmt in ("xlsx", "ods"):
        first = first_visible(rows, hidden)
        rows = [r for r in rows if r.place == first]  # the first sheet, as the pipeline reads it
    if "items" in options or fmt == "json":
        header = rows[0]  # the pattern's parts, or a JSON file's keys
    else:
        candidates = [r for r in rows if sheets is None or r.place == sheets[1][0]]
        header = find_header(candidates, spellings, data_path)
    depth = 1 if fmt == "json" else header_depth(rows, header, spellings)
    if sheets is not None:
        options["sheets"] = sheets[0]
    # A laureate where the header should be: the columns by their place, under the line above.
    plain = sheets is None and "items" not in options and fmt != "json"
    above = headerless.line_above(rows, header) if plain else None
    position_note = headerless.note(rows, above) if above is not None else None
    if above is not None:
        header, depth = above, 1
        options.update(header_row=above.number, columns_by_position=True)
    if fmt in ("xlsx", "ods"):
        raw = draft_table(rows, sheets is not None, header, depth, data_path, hidden)
    else:
        # Several tables (a web page, a Word document): a row number does not say which; the
        # tables holding this header are kept, as the pipeline keeps them from the columns.
        tables = (
            fmt in ("html", "docx")
            and "items" not in options
            and above is None
            and len({r.place for r in rows}) > 1
        )
        raw = _table(rows, header, depth, data_path, tables)
    raw = named_by_position(raw) if above is not None else raw
    sheet_names = sheets[1] if sheets else None
    look = Look(data_path, fmt, options, rows, header, raw, depth, {}, {}, [], None, sheet_names)
    look.position_note = position_note
    return look


def _table(
    rows: Sequence[GridRow], header: GridRow, depth: int, path: Path, tables: bool = False
) -> RawTable:
    return build_table(
        rows,
        wanted=[c for c in header_labels([header], len(header.cells)) if c] if tables else [],
        header_row=None if tables else header.number,
        header_rows=depth,
        skip_patterns=list(DEFAULT_SKIP),
        path=path,
    )


def _publishable_copy(look: Look) -> tuple[Look, tuple[Path, Path, bytes, list[str]]]:
    """A démarches-simplifiées export, drafted for a copy without the applicants' personal columns:
    the export itself stays private."""
    drop = demarches.personal_columns(look.raw)
    copy, data, rows = demarches.publishable_copy(
        look.data_path, [r for r in look.rows if r.place == look.header.place], drop
    )
    export = (look.data_path, copy, data, [look.raw.labels[i] for i in drop])
    header = next(r for r in rows if r.number == look.header.number)
    options = {"encoding": "utf-8", "delimiter": ";"}
    raw = _table(rows, header, 1, copy)
    depth = look.depth  # as the original export showed it
    return Look(
        copy, "csv", options, rows, header, raw, depth, {}, {}, [], demarches.STATE_COLUMN
    ), export


def _proposed_columns(
    look: Look, spellings: dict[str, tuple[str, ...]], code: str
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    # Hidden columns are left unread (read.hidden: skip is proposed): never proposed for a field.
    unread = set(unread_columns(look.raw.hidden))
    labels = [x if x not in unread else "" for x in look.raw.labels]
    columns, by_funder, unmapped = propose_columns(labels, spellings)
    if look.options.get("columns_by_position"):
        columns = headerless.positional_columns(look.raw)
        unmapped = [x for x in look.raw.labels if x not in columns.values()]
    sheets = look.sheet_names
    if sheets is not None and "department" not in columns and departements(sheets, code):
        columns["department"] = SHEET_COLUMN
    if "items" in look.options:  # the pattern's parts are named after the fields
        columns = {name: name for name in look.raw.labels if name in spellings}
        headings = sorted({r.cells[-1] for r in look.rows[1:] if r.cells[-1]})
        if "department" not in columns and headings and departements(headings, code):
            columns["department"] = HEADING_COLUMN
        unmapped = []
    unmapped = [x for x in unmapped if x not in (SHEET_COLUMN, HEADING_COLUMN, UNMATCHED_COLUMN)]
    return columns, by_funder, unmapped


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
