"""A CSV line with more fields than its header: a delimiter inside an unquoted text.

« Accueil; éveil » written without quotes in a « ; » file splits the title in two and pushes
every later cell one column right. Such a line gets one message that says so (« 6 champs au lieu
de 5 »), never a cascade of wrong départements and amounts; `read.extra_fields_into` names the
free-text column the extra fields belong to, and the line is then read whole.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.common.problems import Problem
from pipelines.read.layout import PLACE, ROW, RawTable
from pipelines.read.manifest import Manifest
from pipelines.read.table_columns import column_for

CODE = "extra_fields"


def mend_extra_fields(
    raw: RawTable, frame: pd.DataFrame, manifest: Manifest, path: Path
) -> tuple[pd.DataFrame, list[Problem]]:
    """The frame with over-long lines mended (or left to be rejected), and a problem per such line."""
    named = [i for i, label in enumerate(raw.labels) if label]
    width = named[-1] + 1 if named else 0
    data = [c for c in frame.columns if c not in (ROW, PLACE)]
    extra = data[width:]
    if not extra or not len(frame):
        return frame, []
    long = frame[extra].notna().any(axis=1).to_numpy()
    if not long.any():
        return frame, []
    into = manifest.read.extra_fields_into
    target = data.index(column_for(raw, into, path, "read.extra_fields_into")) if into else None
    frame = frame.copy()
    problems = []
    for i in long.nonzero()[0]:
        cells = [frame.iat[i, frame.columns.get_loc(c)] for c in data]
        count = max(k for k, c in enumerate(cells) if isinstance(c, str)) + 1
        row = int(frame[ROW].iat[i])
        said = f"la ligne a {count} champs au lieu de {width}"
        if target is None or into is None:
            text = " | ".join(c for c in cells[:count] if isinstance(c, str))
            problems.append(_unmended(row, text, said, manifest.read.delimiter))
            continue
        mended, joined = _mend(cells, count, width, target)
        for column, value in zip(data, mended):
            frame.iat[i, frame.columns.get_loc(column)] = value
        problems.append(
            Problem(
                row,
                None,
                into,
                joined,
                f"{said} : le champ en trop est rattaché à « {into} »",
                "vérifier la ligne ; rien à faire si le texte lu est le bon",
                severity="warning",
                code=CODE,
            )
        )
    return frame.drop(columns=extra), problems


def _mend(cells: list, count: int, width: int, target: int) -> tuple[list, str]:
    """The line's cells with the fields in excess joined into the `target` column."""
    k = count - width
    joined = "; ".join(c for c in cells[target : target + k + 1] if isinstance(c, str))
    mended = cells[:target] + [joined] + cells[target + k + 1 : count]
    return mended + [None] * (len(cells) - count + k), joined


def _unmended(row: int, text: str, said: str, delimiter: str | None) -> Problem:
    return Problem(
        row,
        None,
        None,
        text,
        f"{said} (un « {delimiter or ';'} » dans un texte sans guillemets ?) : ses cellules ne "
        "sont pas sous leur en-tête",
        "mettre ce texte entre guillemets dans le fichier, ou indiquer dans le manifeste "
        "read.extra_fields_into: <en-tête de la colonne de texte libre> pour y rattacher "
        "le champ en trop",
        code=CODE,
    )
