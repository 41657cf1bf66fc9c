"""`read.columns_by_position`: a table's columns named by their place, « colonne 1 », « colonne 2 »…

For a list whose header is missing, or unreadable on a scan: the manifest's `columns` then name
the columns by their rank, and `read.header_row` is the line just above the first laureate (a
title, or the header OCR could not read), so that no laureate is taken for the header.
"""

from __future__ import annotations

import dataclasses

from pipelines.read.layout import PLACE, ROW, RawTable, TotalLine


def position_name(index: int) -> str:
    """The name of the column at `index` (0-based): « colonne 1 » for the first."""
    return f"colonne {index + 1}"


def named_by_position(raw: RawTable) -> RawTable:
    """The same table, its columns renamed « colonne 1 », « colonne 2 »… whatever the header says."""
    names = [position_name(i) for i in range(len(raw.labels))]
    current = [c for c in raw.frame.columns if c not in (ROW, PLACE)][: len(names)]
    rename = dict(zip(current, names))
    totals = [
        TotalLine(
            t.row, t.place, {rename.get(k, k): v for k, v in t.cells.items()}, t.position, t.label
        )
        for t in raw.totals
    ]
    return dataclasses.replace(
        raw, frame=raw.frame.rename(columns=rename), labels=names, totals=totals
    )
