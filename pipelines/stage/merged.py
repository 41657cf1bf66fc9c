"""An amount in a cell merged over several rows, or over several funders' columns.

The spreadsheet readers copy a merged value over its whole range: right for a département or a
name merged over the rows it covers, wrong for an amount, which would then be counted once per
row (or per funder). So an amount is read once, in the first cell of its range within the table;
the other cells of the range are left without an amount, and the doubt `merged_amount` says so
until the manifest confirms that reading.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.common.doubts import doubt
from pipelines.common.problems import Problem
from pipelines.read.layout import ROW, RawTable
from pipelines.read.manifest import Manifest
from pipelines.read.table_columns import label_column


@dataclass(frozen=True)
class Carried:
    """One amount copied by a merge: where it is read, and the cells it was copied to."""

    value: str
    row: int
    header: str
    copies: list[tuple[int, str]]  # (row, frame column) left without an amount
    rows: tuple[int, int]  # the range's first and last rows
    headers: list[str]  # the amount headers it covers


def _amount_headers(raw: RawTable, manifest: Manifest) -> dict[int, str]:
    """Column index → header, for the columns read as amounts."""
    headers = [manifest.mapped_columns.get("amount_eur", "")]
    headers += list(manifest.funder_amount_columns.values())
    columns = list(raw.frame.columns)
    out: dict[int, str] = {}
    for header in filter(None, headers):
        column = label_column(raw, header)
        if column is not None:
            out[columns.index(column)] = header
    return out


def carried_amounts(raw: RawTable, manifest: Manifest) -> list[Carried]:
    """The amounts a merge copied over more than one amount cell of the table's rows."""
    if not raw.merged or manifest.table not in ("awards", "campaign_budgets"):
        return []
    amounts = _amount_headers(raw, manifest)
    at = {int(r): i for i, r in enumerate(raw.frame[ROW].tolist())}
    found = []
    for first, last, c0, c1 in raw.merged:
        cells = [
            (r, c)
            for r in range(first, last + 1)
            if r in at
            for c in range(c0, c1 + 1)
            if c in amounts
        ]
        if len(cells) < 2:
            continue
        (r, c), copies = cells[0], cells[1:]
        value = raw.frame.iat[at[r], c]
        if not isinstance(value, str):
            continue
        found.append(
            Carried(
                value,
                r,
                amounts[c],
                [(row, raw.frame.columns[col]) for row, col in copies],
                (first, last),
                [amounts[k] for k in sorted({col for _, col in cells})],
            )
        )
    return found


def read_once(raw: RawTable, manifest: Manifest) -> None:
    """Leave the copies of a merged amount empty: the amount is read in its range's first cell."""
    carried = carried_amounts(raw, manifest)
    if not carried:
        return
    frame = raw.frame.copy()
    rows = frame[ROW].to_numpy()
    for c in carried:
        for row, column in c.copies:
            frame.loc[rows == row, column] = None
    raw.frame = frame


def merged_amounts(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """Each amount a merge spread over several rows or funders: read once, to be confirmed."""
    out = []
    for c in carried_amounts(raw, manifest):
        first, last = c.rows
        where = (
            f"les lignes {first} à {last}"
            if len(c.headers) == 1
            else "les colonnes " + " et ".join(f"« {h} »" for h in c.headers)
        )
        n = len(c.copies) + 1
        others = "l'autre cellule reste" if n == 2 else f"les {n - 1} autres cellules restent"
        out.append(
            doubt(
                "merged_amount",
                f"le montant « {c.value} » est une cellule fusionnée sur {where} : recopié, il "
                f"serait compté {n} fois ; il est lu une seule fois, ligne {c.row}, colonne "
                f"« {c.header} » ; {others} sans montant",
                row=c.row,
                column=c.header,
                value=c.value,
                fix="vérifier dans le fichier à qui revient ce montant ; s'il est partagé, "
                "demander à l'éditeur la part de chaque ligne ou de chaque financeur",
            )
        )
    return out
