"""`new-source` on a list whose header was not found: a scan whose header OCR could not read, a
list published without one. The row it would take for the header reads like a laureate (an
amount, a département code); rather than lose that laureate and name the columns after it, the
draft names the columns by their place (`read.columns_by_position`) under the line above, and
proposes which is which from what each column holds, for the contributor to check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from pipelines.common.geography import departement_code
from pipelines.read.layout import RawTable
from pipelines.read.readers import GridRow
from pipelines.stage.doubts_header import data_cells, reads_like

_MOST = 0.8  # share of a column's values that must look alike


def line_above(rows: Sequence[GridRow], header: GridRow) -> GridRow | None:
    """When `header` reads like a laureate, the line above the first such row (the fullest row
    taken for the header may be any laureate); else None, as when the list starts with a laureate
    on its first line: the trial reading then says the header is in doubt."""
    if not data_cells(header.cells):
        return None
    previous = None
    for row in rows:
        if (
            row.place == header.place
            and sum(1 for c in row.cells if c) >= 2
            and data_cells(row.cells)
        ):
            return previous if previous is not None and previous.place == header.place else None
        previous = row
    return None


def note(rows: Sequence[GridRow], above: GridRow) -> str:
    """What the draft tells the contributor: which line read like a laureate, and what it did."""
    first = next(r for r in rows if r.number == above.number + 1 and r.place == above.place)
    shown = ", ".join(f"« {cell} » est {what}" for cell, what in data_cells(first.cells)[:3])
    where = f"{first.number} ({first.place})" if first.place else str(first.number)
    return (
        f"aucun en-tête trouvé : la ligne {where} se lit comme un lauréat ({shown}) ; les colonnes "
        f"sont nommées par leur rang (read.columns_by_position) sous la ligne {above.number} "
        "(read.header_row) : vérifier columns contre le document"
    )


def _share(values: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def positional_columns(raw: RawTable) -> dict[str, str]:
    """« colonne N » per field, from what the columns hold: amounts, départements, then the first
    two columns of words (the beneficiary, then the project's title). Only a column that alone
    holds amounts (or départements) is proposed for them."""
    values = {
        label: [str(v) for v in raw.frame[label].dropna().head(50) if str(v).strip()]
        for label in raw.labels
        if label in raw.frame
    }
    values = {label: v for label, v in values.items() if v}

    def only(test: Callable[[str], bool]) -> str | None:
        found = [label for label, v in values.items() if _share(v, test) >= _MOST]
        return found[0] if len(found) == 1 else None

    amount = only(lambda v: reads_like(v) == "un montant")
    department = only(lambda v: reads_like(v) != "un montant" and departement_code(v) is not None)
    words = [
        label
        for label, v in values.items()
        if label not in (amount, department)
        and _share(v, lambda x: sum(c.isalpha() for c in x) > len(x) / 2) >= _MOST
    ]
    columns = dict(zip(("beneficiary_name", "project_title"), words))
    if department:
        columns["department"] = department
    if amount:
        columns["amount_eur"] = amount
    return columns


def samples(raw: RawTable) -> str:
    """Each column by its place with its first value, to name them: « colonne 1 (« Association … ») »."""
    first = raw.frame.iloc[0] if len(raw.frame) else pd.Series(dtype=object)
    return " ; ".join(
        f"{label} : « {first[label]} »"
        for label in raw.labels
        if label in first and isinstance(first[label], str)
    )
