"""A header row that reads like a laureate: an amount or a département code where column titles
should be.

It happens when the real header was not read (a scan whose header OCR could not make out, a list
published without one) and the row taken for it is the first laureate: that laureate would be lost
without a word, and the columns named after its values. Whatever the format, such a header is a
doubt, settled by pointing `read.header_row` at the real header, or by naming the columns by their
place (`read.columns_by_position`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from pipelines.common.doubts import doubt
from pipelines.common.geography import departement_code
from pipelines.common.problems import Problem
from pipelines.common.values import parse_amount
from pipelines.read.layout import RawTable
from pipelines.read.manifest import Manifest

CODE = "header_like_data"
_YEAR = re.compile(r"(19|20)\d\d")  # a column per year is a header, not an amount
# An amount as a list writes it: a currency, thousands apart, cents, or four digits and more.
_WRITTEN_AMOUNT = re.compile(
    r"€|\beur(os?)?\b|\d[\s\u00a0\u202f.]\d{3}\b|\d[.,]\d{2}\s*$|\d{4}", re.IGNORECASE
)
_CODE = re.compile(r"0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6]", re.IGNORECASE)
_CELL_SEPARATOR = " | "  # how a skipped row's cells are joined (layout._text)


def reads_like(cell: str, decimal: str = ",") -> str | None:
    """« un montant » or « un code de département » when the cell reads like one, else None."""
    text = cell.strip()
    if not re.search(r"\d", text) or _YEAR.fullmatch(text):
        return None
    try:
        parse_amount(text, decimal)
        if _WRITTEN_AMOUNT.search(text):
            return "un montant"
    except ValueError:
        pass
    # « 25 », or « 25 - Doubs » whose name is a département too: not « n° 3 », not « 12 mois ».
    name = re.sub(r"[\d()]+|^\s*-|-\s*$", " ", text).strip(" -–")
    if _CODE.fullmatch(text) or (
        departement_code(text) is not None and name and departement_code(name) is not None
    ):
        return "un code de département"
    return None


def data_cells(cells: Sequence[str | None], decimal: str = ",") -> list[tuple[str, str]]:
    """(cell, what it reads like) for each cell of a row that reads like data."""
    return [(cell, what) for cell in cells if cell and (what := reads_like(cell, decimal))]


def header_like_data(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """The header row's cells that read like data, said once for the row."""
    rows = [s for s in raw.skipped if s.kind == "header" and s.row == raw.header_row]
    for row in rows[:1]:
        found = data_cells(row.text.split(_CELL_SEPARATOR), manifest.read.decimal)
        if not found:
            return []
        shown = ", ".join(f"« {cell} » est {what}" for cell, what in found[:3])
        where = f"{row.place}, ligne {row.row}" if row.place else f"ligne {row.row}"
        scan = " (PDF scanné : l'OCR n'a pas reconnu l'en-tête)" if raw.method == "ocr" else ""
        return [
            doubt(
                CODE,
                f"la ligne prise pour l'en-tête ({where}) ressemble à une ligne de données : "
                f"{shown} ; c'est sans doute un lauréat, qui ne serait pas repris, et l'en-tête "
                f"n'a pas été trouvé{scan}",
                row=row.row,
                place=row.place,
                value=found[0][0],
                fix="indiquer dans read.header_row le numéro de la ligne des intitulés de colonnes ; "
                "s'il n'y en a pas ou qu'elle est illisible, mettre read.header_row sur la ligne "
                "juste au-dessus du premier lauréat, ajouter read.columns_by_position: true et "
                "nommer les colonnes par leur rang (columns: beneficiary_name: colonne 1, "
                "amount_eur: colonne 4…)",
            )
        ]
    return []
