"""What `mille-jours new-source` looks for in a file: its header, sheets, decimal mark, TOTAL line,
over-long lines. Each answer is what the pipeline itself will see when it reads the file."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from pathlib import Path

from charset_normalizer import from_bytes

from pipelines.common.problems import SourceError
from pipelines.common.text import text_key
from pipelines.common.values import parse_amount
from pipelines.read.headers import funder_of_column, match_header, propose_columns
from pipelines.read.layout import (
    HEADER_SEARCH_ROWS,
    PLACE,
    ROW,
    RawTable,
    header_labels,
)
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers import GridRow
from pipelines.stage.fields import parser_for


def sheets_sharing_a_header(
    rows: Sequence[GridRow], spellings: dict[str, tuple[str, ...]]
) -> tuple[str, list[str]] | None:
    """Several sheets with the same header (one per département): (`read.sheets` value, their names)."""
    # Rows all have a place (sheet, page, table) or none (a flat file).
    places = list(dict.fromkeys(r.place for r in rows if r.place is not None))
    if len(places) < 2:
        return None
    by_header: dict[tuple[str, ...], list[str]] = {}
    for place in places:
        try:
            header = find_header([r for r in rows if r.place == place], spellings, Path(place))
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


def departements(names: list[str], region: str) -> bool:
    """Every name is a département of the region: the sheet names say where each laureate is."""
    parse = parser_for("department_code", ",", region)
    assert parse is not None  # department_code always has its parser
    try:
        return all(parse(n) for n in names)
    except ValueError:
        return False


def header_depth(
    rows: Sequence[GridRow], header: GridRow, spellings: dict[str, tuple[str, ...]]
) -> int:
    """2 when the row under the header holds sub-labels (« ARS », « DREETS » under a merged
    « Montant accordé (€) »): read over both rows, the headers name more fields or funders."""
    top = list(rows[: HEADER_SEARCH_ROWS + 1])
    i = next(
        (k for k, r in enumerate(top) if (r.place, r.number) == (header.place, header.number)), None
    )
    if i is None or i + 1 >= len(top) or top[i + 1].place != header.place:
        return 1
    block = [header, top[i + 1]]
    width = max(len(r.cells) for r in block)

    def named(labels: list[str]) -> int:
        columns, by_funder, _ = propose_columns(labels, spellings)
        return len(columns) + len(by_funder)

    return 2 if named(header_labels(block, width)) > named(header_labels(block[:1], width)) else 1


def csv_options(path: Path) -> dict[str, str]:
    """Encoding and delimiter as the CSV reader would detect them, written down for the contributor."""
    from pipelines.read.readers.csv import decode, sniff_delimiter

    data = path.read_bytes()
    if not data.strip():
        raise SourceError(
            path, "fichier vide", fix="déposer le fichier tel que publié, avec ses lignes"
        )
    encoding = "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "utf_16"]).best()
        encoding = (
            "cp1252"
            if best is None or best.encoding in ("latin_1", "iso8859_15", "cp1252")
            else best.encoding
        )
    return {"encoding": encoding, "delimiter": sniff_delimiter(decode(path, data, encoding))}


def json_records(path: Path) -> tuple[str, str] | None:
    """A JSON file holding several lists of objects: the longest for `read.records`, and the comment
    that names the others (the reader itself refuses to choose)."""
    from pipelines.read.readers.json import load_json
    from pipelines.read.readers.json_records import record_lists

    data = load_json(path, ReadOptions())
    found = record_lists(data) if isinstance(data, dict) else []
    if len(found) < 2:
        return None
    key, items = max(found, key=lambda f: len(f[1]))
    others = ", ".join(f"{k} ({len(v)})" for k, v in found if k != key)
    return key, (
        f"À VÉRIFIER : la plus longue des listes d'objets du fichier ({len(items)} "
        f"enregistrements) ; les autres : {others}"
    )


def find_header(rows: list[GridRow], spellings: dict[str, tuple[str, ...]], path: Path) -> GridRow:
    """The row among the first ones whose cells look most like known headers; else the fullest row."""
    candidates = [r for r in rows[:HEADER_SEARCH_ROWS] if sum(1 for c in r.cells if c) >= 2]
    if not candidates:
        raise SourceError(
            path,
            "aucun tableau trouvé (pas de ligne d'au moins deux cellules)",
            place=f"{HEADER_SEARCH_ROWS} premières lignes",
            fix="vérifier que le fichier contient la liste publiée sous forme de tableau",
        )

    def score(r: GridRow) -> int:
        return sum(1 for c in r.cells if c and (match_header(c, spellings) or funder_of_column(c)))

    best = max(candidates, key=score)  # max keeps the first row among equals
    if score(best) == 0:
        best = max(candidates, key=lambda r: sum(1 for c in r.cells if c))
    return best


def decimal_mark(raw: RawTable, labels: list[str]) -> str:
    """Comma unless the amounts are plainly written with a decimal point ("12500.50")."""
    comma = point = 0
    for label in labels:
        column = frame_column(raw, label)
        for value in raw.frame[column].dropna() if column else []:
            text = re.sub(r"[\s\u00a0\u202f€]|eur(os?)?", "", str(value), flags=re.I)
            comma += bool(re.fullmatch(r"[\d.]*\d,\d{1,2}", text))
            point += bool(re.fullmatch(r"[\d,]*\d\.\d{1,2}", text))
    return "." if point > comma else ","


def frame_column(raw: RawTable, label: str) -> str | None:
    return next((c for c, x in zip(raw.frame.columns, raw.labels) if x == label), None)


SUBTOTAL = re.compile(r"^\W*sous[- ]?total", re.I)


def total_line(
    raw: RawTable, labels: list[str], decimal: str, unit: str = "€"
) -> tuple[int, float] | None:
    """The amount on the file's TOTAL line, offered as the declared total for the contributor to confirm."""
    indexes = [raw.labels.index(x) for x in labels if x in raw.labels]
    # A « Sous-total Paris » closes a part of the list, never the whole: only a grand total is offered.
    grand = [t for t in raw.totals if not SUBTOTAL.match(t.label)]
    if len({t.place for t in grand}) > 1:
        return None  # one TOTAL per sheet: none of them is the campaign's
    for line in grand:
        cells = list(line.cells.values())  # in the order of raw.labels
        total = 0.0
        for i in indexes:
            cell = cells[i] if i < len(cells) else None
            with contextlib.suppress(ValueError):
                total += parse_amount(cell, decimal, unit) if cell else 0.0
        if total:
            return line.row, total
    return None


def long_lines(raw: RawTable) -> tuple[int, list[int]] | list:
    """The header's width and the lines with more fields than it (a delimiter in an unquoted text)."""
    named = [i for i, label in enumerate(raw.labels) if label]
    width = named[-1] + 1 if named else 0
    extra = [c for c in raw.frame.columns[width:] if c not in (ROW, PLACE)]
    if not extra:
        return []
    long = raw.frame[extra].notna().any(axis=1)
    return (width, [int(r) for r in raw.frame.loc[long, ROW]]) if long.any() else []
