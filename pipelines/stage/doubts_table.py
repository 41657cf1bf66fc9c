"""Doubts about the table as read: a second table under the list, a line cut in two, more lines or
euros than announced. Each is raised by `pipelines/stage/doubts.py` like the others.

A second table whose header the layout recognises is set aside there (its rows skipped and counted,
pipelines/read/layout.py); here it is said. A block that has no such header is still read as
laureates: here it is found by what it holds (funder names, totals, amounts making up the list's).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from pipelines.common.doubts import doubt
from pipelines.common.personal import excerpt
from pipelines.common.problems import Problem
from pipelines.common.text import french_euros, text_key, text_keys
from pipelines.common.values import parse_amount
from pipelines.read.layout import PLACE, ROW, RawTable
from pipelines.read.manifest import SHEET_COLUMN, Manifest, ReadOptions
from pipelines.read.readers.items import HEADING_COLUMN, UNMATCHED_COLUMN
from pipelines.read.row_kinds import SECOND_TABLE
from pipelines.read.table_columns import label_column
from pipelines.stage.columns import parse_column
from schemas.vocabularies import FUNDERS

# A name cell that is a total, not a laureate (the first cell's « TOTAL » is skipped by the layout).
_TOTAL_WORDS = re.compile(
    r"^(sous total|total|montant total|total general|ensemble|cumul|recapitulatif|synthese|somme)"
    r"( |$)"
)
# The list's own grand total (« TOTAL », « Total général »), not a total per département or page.
_GRAND_TOTAL = re.compile(r"^(total|total general|montant total)( [\d ,.]*(eur|euros?)?)?$")
_SHOWN = 10  # rows named one by one in a doubt; the others counted
_WORD = re.compile(r"\w")  # a letter, a digit or « _ », of any script
# A funder's code, name or alias as a whole cell (« ARS », « DREETS »); « NC » is no funder.
_FUNDER_NAMES = frozenset(
    text_key(x) for f in FUNDERS if f.code != "NC" for x in (f.code, f.name, *f.aliases)
)


@dataclass
class LineColumns:
    """The frame columns of the fields a laureate line needs."""

    name: str | None
    amounts: list[str]  # one, or one per funder
    by_funder: bool


def line_columns(manifest: Manifest, raw: RawTable) -> LineColumns:
    mapped = manifest.mapped_columns
    name = mapped.get("beneficiary_name")
    name_col = (
        label_column(raw, name) if name and name not in (SHEET_COLUMN, HEADING_COLUMN) else None
    )
    headers = list(manifest.funder_amount_columns.values()) or (
        [mapped["amount_eur"]] if "amount_eur" in mapped else []
    )
    amounts = [c for c in (label_column(raw, h) for h in headers) if c]
    return LineColumns(name_col, amounts, bool(manifest.funder_amount_columns))


def line_amounts(frame: pd.DataFrame, cols: LineColumns, read: ReadOptions) -> np.ndarray:
    """Each line's amount in euros (its funders' added up, `read.amount_unit` applied), NaN when
    it has none."""
    total = np.full(len(frame), np.nan)
    for col in cols.amounts:
        parsed, _ = parse_column(
            frame[col], "amount_eur", parse_amount, read.decimal, read.amount_unit
        )
        values = parsed.to_numpy(dtype=float)
        total = np.where(np.isnan(total), values, total + np.nan_to_num(values))
    return total


def _empty(values: pd.Series) -> np.ndarray:
    """A cell left empty (only spaces or nothing): « — » or « NC » say something, they are not empty."""
    return np.fromiter(
        (not (isinstance(v, str) and _WORD.search(v)) for v in values.tolist()),
        dtype=bool,
        count=len(values),
    )


def _where(row: int, place: object) -> str:
    return f"{place}, ligne {row}" if isinstance(place, str) and place else f"ligne {row}"


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:_SHOWN])
    return shown + (f" … ({len(numbers)} lignes)" if len(numbers) > _SHOWN else "")


def _pattern(text: str) -> str:
    """A `read.skip_rows_matching` pattern for lines starting with `text` (RE2 syntax)."""
    whole = len(text.strip()) <= 30
    start = text.strip()[:30]
    return "^" + re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", start) + ("$" if whole else "")


def _quoted(pattern: str) -> str:
    """Between YAML's single quotes, where a backslash is itself: the pattern pasted as it is."""
    return "'" + pattern.replace("'", "''") + "'"


def _skip_fix(first_cells: list[str]) -> str:
    patterns = list(dict.fromkeys(_pattern(c) for c in first_cells if c))[:5]
    shown = ", ".join(_quoted(p) for p in patterns)
    return (
        f"si ce ne sont pas des lauréats, les mettre de côté (comptées) avec read.skip_rows_matching: "
        f"[{shown}] ; ou read.header_row / read.table pour viser le bon tableau"
    )


# --- second_table ------------------------------------------------------------------------------


def second_table(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """Another table under the list: set aside by the layout (its header known), or still read as
    laureates (a block after a blank line that sums to the list, or lines named after a funder)."""
    if manifest.table != "awards":
        return []
    found = _set_aside(raw)
    if frame.empty:
        return found
    cols = line_columns(manifest, raw)
    blocks = _blocks(raw, frame)
    amounts = line_amounts(frame, cols, manifest.read)
    funders = _funder_rows(frame, cols)
    reported: set[int] = set()
    for start, stop, after in blocks[1:]:
        reasons = _block_reasons(frame, cols, amounts, blocks[0][:2], start, stop, funders)
        if reasons:
            found.append(_block_doubt(frame, start, stop, after, reasons))
            reported.update(range(start, stop))
    alone = [int(i) for i in np.flatnonzero(funders) if i not in reported]
    if alone:
        found.append(_funder_doubt(frame, cols, alone))
    return found


def _set_aside(raw: RawTable) -> list[Problem]:
    """The second tables the layout set aside: one doubt each, with where it starts and its size."""
    by_header: dict[str, list[int]] = {}
    for s in raw.skipped:
        if s.kind == "other_table" and s.reason.startswith(SECOND_TABLE):
            by_header.setdefault(s.reason, []).append(s.row)
    found = []
    for reason, rows in by_header.items():
        first = next(s for s in raw.skipped if s.reason == reason)
        found.append(
            doubt(
                "second_table",
                f"un second tableau commence {_where(first.row, first.place)}, sous la liste "
                f"(« {excerpt(first.text, 60)} ») : ses {len(rows)} lignes ({rows[0]} à {rows[-1]}) "
                "sont mises de côté et comptées, pas lues comme des lauréats",
                row=first.row,
                place=first.place,
                value=excerpt(first.text, 60),
                fix="vérifier qu'aucun lauréat n'y figure ; si c'est ce tableau qu'il faut lire, "
                "read.header_row (ou read.table) le désigne",
            )
        )
    return found


def _blocks(raw: RawTable, frame: pd.DataFrame) -> list[tuple[int, int, str]]:
    """The frame's lines in blocks (start, stop, what ends the block above) that a blank line or
    the list's grand TOTAL separate (a PDF has no blank line between two tables)."""
    ends = sorted(
        [(s.row, "une ligne vide") for s in raw.skipped if s.kind == "blank"]
        + [
            (s.row, f"la ligne « {excerpt(s.text, 30)} »")
            for s in raw.skipped
            if s.kind == "total" and _GRAND_TOTAL.match(text_key(s.text))
        ]
    )
    at = np.array([row for row, _ in ends], dtype=np.int64)
    numbers = frame[ROW].to_numpy(dtype=np.int64)
    # A block ends between two lines when a blank line or a TOTAL sits between their numbers.
    lo, hi = np.searchsorted(at, numbers[:-1]), np.searchsorted(at, numbers[1:])
    between = np.flatnonzero(hi > lo) + 1
    cuts = [0, *between.tolist(), len(numbers)]
    after = ["", *(ends[h - 1][1] for h in hi[between - 1].tolist())]
    return [(a, b, why) for (a, b), why in zip(itertools.pairwise(cuts), after, strict=True)]


def _funder_rows(frame: pd.DataFrame, cols: LineColumns) -> np.ndarray:
    """Lines whose laureate is a funder (« ARS », « DREETS ») or a total word: another table's lines."""
    if cols.name is None:
        return np.zeros(len(frame), dtype=bool)
    cells = [v if isinstance(v, str) else None for v in frame[cols.name].tolist()]
    keys = text_keys(pa.array(cells, pa.large_string())).to_pylist()
    # Each name judged once: a long list names its beneficiaries many times.
    other = {k: k in _FUNDER_NAMES or bool(_TOTAL_WORDS.match(k)) for k in set(keys) if k}
    return np.fromiter((other.get(k, False) for k in keys), dtype=bool, count=len(keys))


def _filled(frame: pd.DataFrame, start: int, stop: int, columns: list[str]) -> frozenset[str]:
    """The columns most of the block's lines fill."""
    part = frame.iloc[start:stop]
    return frozenset(c for c in columns if (~_empty(part[c])).mean() > 0.5)


def _block_reasons(
    frame: pd.DataFrame,
    cols: LineColumns,
    amounts: np.ndarray,
    first: tuple[int, int],
    start: int,
    stop: int,
    funders: np.ndarray,
) -> list[str]:
    """Why a block after a blank line looks like another table; none when it looks like the list."""
    reasons = []
    if funders[start:stop].any():
        reasons.append("le nom d'un financeur ou un total à la place du lauréat")
    block, above = amounts[start:stop], amounts[:start]
    if (~np.isnan(block)).any() and (~np.isnan(above)).sum() >= 2:
        total = float(np.nansum(block))
        if total > 0 and abs(total - float(np.nansum(above))) < 0.005:
            reasons.append(
                f"ses montants font {french_euros(total, 2)}, la somme des lignes au-dessus "
                "(un récapitulatif)"
            )
    mapped = [c for c in [cols.name, *cols.amounts] if c] + [
        c for c in frame.columns if c not in (ROW, PLACE, cols.name, *cols.amounts)
    ]
    if stop - start >= 2 and _filled(frame, start, stop, mapped) != _filled(frame, *first, mapped):
        reasons.append("ses lignes ne remplissent pas les mêmes colonnes que la liste")
    return reasons


def _block_doubt(
    frame: pd.DataFrame, start: int, stop: int, after: str, reasons: list[str]
) -> Problem:
    numbers = frame[ROW].iloc[start:stop].astype(int).tolist()
    places = frame[PLACE].iloc[start:stop].tolist()
    data = [c for c in frame.columns if c not in (ROW, PLACE)]
    firsts = [
        next((str(v) for v in row if isinstance(v, str) and v.strip()), "")
        for row in frame[data].iloc[start:stop].itertuples(index=False)
    ]
    shown = ", ".join(f"« {excerpt(c, 30)} »" for c in firsts[:3] if c)
    one = len(numbers) == 1
    span = f"ligne {numbers[0]}" if one else f"lignes {numbers[0]} à {numbers[-1]}"
    return doubt(
        "second_table",
        f"{span}, après {after}, {'ressemble' if one else 'ressemblent'} à un second tableau lu "
        f"comme des lauréats ({shown}) : {' ; '.join(reasons)}",
        row=numbers[0],
        place=places[0] if isinstance(places[0], str) else None,
        value=firsts[0] or None,
        fix=_skip_fix(firsts),
    )


def _funder_doubt(frame: pd.DataFrame, cols: LineColumns, rows: list[int]) -> Problem:
    assert cols.name is not None
    numbers = frame[ROW].iloc[rows].astype(int).tolist()
    names = frame[cols.name].iloc[rows].astype(str).tolist()
    shown = ", ".join(f"« {n} »" for n in dict.fromkeys(names))
    return doubt(
        "second_table",
        f"{'la ligne' if len(rows) == 1 else 'les lignes'} {_rows(numbers)} {'a' if len(rows) == 1 else 'ont'} "
        f"pour lauréat {shown} : un financeur ou un total, sans doute la ligne d'un autre tableau "
        "(synthèse par financeur) lue comme un lauréat",
        row=numbers[0],
        place=frame[PLACE].iloc[rows[0]] if isinstance(frame[PLACE].iloc[rows[0]], str) else None,
        column=next((x for x in frame.columns if x == cols.name), None),
        value=names[0],
        fix=_skip_fix(names),
    )


# --- cut_row -----------------------------------------------------------------------------------


def cut_rows(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """A line whose laureate or amount is empty where the lines around it fill them, and that leaves
    empty other cells they fill too: a line cut by a page break, or a cell's second line exported
    as a line of its own. A field empty in many lines (a co-funded project named on its first line
    only) is the file's way, not a cut; a laureate with all its cells but the amount is one whose
    amount is not published (kept without it, raw/README.md)."""
    if manifest.table != "awards" or len(frame) < 2:
        return []
    cols = line_columns(manifest, raw)
    if UNMATCHED_COLUMN in raw.labels:  # an item off the pattern is rejected with its own message
        frame = frame[frame[raw.frame.columns[raw.labels.index(UNMATCHED_COLUMN)]].isna()]
    data = [c for c in frame.columns if c not in (ROW, PLACE)]
    empties = {c: _empty(frame[c]) for c in data}
    fields: dict[str, np.ndarray] = {}
    if cols.name:
        fields[manifest.mapped_columns["beneficiary_name"]] = empties[cols.name]
    if cols.amounts:  # per funder: none of the funders' cells filled
        headers = list(manifest.funder_amount_columns.values()) or [
            manifest.mapped_columns["amount_eur"]
        ]
        empty = np.logical_and.reduce([empties[c] for c in cols.amounts])
        fields[", ".join(headers)] = empty
    filled = np.column_stack([~empties[c] for c in data])
    cut: dict[int, list[str]] = {}
    for header, empty in fields.items():
        if not empty.any() or empty.sum() > max(1, len(empty) // 5):
            continue
        for i in np.flatnonzero(empty):
            around = [j for j in (i - 1, i + 1) if 0 <= j < len(empty)]
            if not around or empty[around].any():
                continue
            shared = filled[around].all(axis=0)  # the cells every line around fills
            if (shared & ~filled[i]).sum() >= min(2, shared.sum() - 1):
                cut.setdefault(int(i), []).append(header)
    found = [_cut_doubt(frame, i, headers) for i, headers in sorted(cut.items())]
    if len(found) <= _SHOWN:
        return found
    rest = [int(p.row) for p in found[_SHOWN:] if p.row is not None]
    return found[:_SHOWN] + [
        doubt(
            "cut_row",
            f"{len(rest)} autres lignes coupées de la même façon : lignes {_rows(rest)}",
            row=rest[0],
            fix="les relire dans le fichier comme les lignes ci-dessus",
        )
    ]


def _cut_doubt(frame: pd.DataFrame, i: int, headers: list[str]) -> Problem:
    number, place = int(frame[ROW].iat[i]), frame[PLACE].iat[i]
    data = [c for c in frame.columns if c not in (ROW, PLACE)]
    first = next((str(v) for v in frame[data].iloc[i] if isinstance(v, str) and v.strip()), "")
    empty = " et ".join(f"« {h} »" for h in headers)
    one = len(headers) == 1
    return doubt(
        "cut_row",
        f"{_where(number, place)} : {empty} {'vide' if one else 'vides'} alors que les lignes "
        f"voisines {'le' if one else 'les'} remplissent : une ligne coupée (saut de page, retour à "
        "la ligne dans une cellule) ?",
        row=number,
        place=place if isinstance(place, str) else None,
        column=headers[0],
        value=excerpt(first, 40) if first else None,
        fix="si c'est la suite de la ligne du dessus, la mettre de côté (comptée) avec "
        f"read.skip_rows_matching: [{_quoted(_pattern(first))}] ; si {empty} n'est vraiment "
        "pas publié pour ce lauréat, la lecture est juste",
    )


TABLE_DETECTORS = [second_table, cut_rows]
