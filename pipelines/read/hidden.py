"""What a spreadsheet hides in the part of it that is read: rows below the header, columns of the
table, a hidden sheet read whole. Said in French, for the doubt and for `new-source`.

A hidden row that is blank, or a hidden column without header nor value, hides nothing: only
what could change the reading is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pipelines.common.text import french_number
from pipelines.read.readers.hidden import Hidden

HIDDEN_ROW = "ligne masquée dans le classeur"
_SHOWN_SPANS = 6  # row ranges spelled out in a message; the rest is « … »


@dataclass(frozen=True)
class HiddenFound:
    """What one sheet hides of its table: rows numbered as in the sheet, columns by header."""

    place: str | None
    rows: tuple[int, ...] = ()
    columns: tuple[str, ...] = ()
    autofilter: str | None = None
    sheet_rows: int | None = None  # a hidden sheet read as a table: its lines of data


def found_in_table(
    place: str | None,
    parts: Hidden,
    numbers: np.ndarray,
    labels: list[str],
    raw_labels: list[str],
    body: list[pa.Array],
) -> HiddenFound | None:
    """What the table of one sheet hides: `numbers` the hidden rows below its header that hold
    something, `labels` (unique) and `raw_labels` its header, `body` its columns below the header."""
    indexes = np.flatnonzero(parts.columns.contains(np.arange(len(labels))))
    columns = tuple(
        raw_labels[j] or labels[j]
        for j in indexes
        if raw_labels[j] or body[j].null_count < len(body[j])
    )
    if not len(numbers) and not columns:
        return None
    return HiddenFound(
        place,
        tuple(int(n) for n in numbers),
        columns,
        parts.autofilter if len(numbers) else None,
    )


def _spans(numbers: tuple[int, ...]) -> list[str]:
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return [f"{a}" if a == b else f"{a} à {b}" for a, b in spans]


def _rows_text(found: HiddenFound) -> str:
    count = len(found.rows)
    spans = _spans(found.rows)
    shown = ", ".join(spans[:_SHOWN_SPANS]) + (" …" if len(spans) > _SHOWN_SPANS else "")
    where = f"{'ligne' if len(found.rows) == 1 and len(spans) == 1 else 'lignes'} {shown}"
    if found.autofilter:
        where += f", filtre automatique sur {found.autofilter}"
    masked = "ligne masquée" if count == 1 else "lignes masquées"
    return f"{french_number(count)} {masked} ({where})"


def _columns_text(found: HiddenFound) -> str:
    count = len(found.columns)
    names = ", ".join(f"« {c} »" for c in found.columns[:8]) + (" …" if count > 8 else "")
    masked = "colonne masquée" if count == 1 else "colonnes masquées"
    return f"{count} {masked} ({names})"


def describe(found: HiddenFound) -> str:
    """« 14 lignes masquées (lignes 18 à 31, filtre automatique sur A4:F40) et 1 colonne masquée
    (« Motif du refus ») dans la feuille « Candidatures » »."""
    sheet = f"la feuille « {found.place} »" if found.place else "la feuille"
    if found.place and found.place.startswith("tableau "):  # a web page's table
        sheet = f"le {found.place} de la page"
    if found.sheet_rows is not None:
        lines = "ligne" if found.sheet_rows == 1 else "lignes"
        return f"{sheet} est masquée dans le classeur ({found.sheet_rows} {lines} de données)"
    parts = ([_rows_text(found)] if found.rows else []) + (
        [_columns_text(found)] if found.columns else []
    )
    where = f" dans {sheet}" if found.place else ""
    return " et ".join(parts) + where


def describe_all(found: list[HiddenFound]) -> str:
    return " ; ".join(describe(f) for f in found)


def unread_columns(found: list[HiddenFound]) -> list[str]:
    """The hidden columns' headers as written, which `read.hidden: skip` leaves unread."""
    return list(dict.fromkeys(c for f in found for c in f.columns))
