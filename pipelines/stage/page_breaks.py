"""A PDF row that may be the rest of a row cut by a page break, left as it is by the reader.

The PDF reader joins the top of a page back to the row above when it can only be that row's rest
(words in some of its cells, no amount, no code). What it leaves is a row of its own; when such a
row opens a page and leaves empty a cell the row above fills, it may still be a cut row's rest
holding an amount: the contributor is told so, and which row it would belong to, rather than the
two being joined by guess.
"""

from __future__ import annotations

import re

import pandas as pd

from pipelines.common.problems import Problem
from pipelines.read.layout import PLACE, ROW

CODE = "page_break_row"
_PAGE = re.compile(r"^page (\d+)$")


def page_break_rows(frame: pd.DataFrame) -> list[Problem]:
    """A warning for each data row opening a page (after the first) with a cell empty that the
    last row of the page before fills."""
    if frame.empty or not frame[PLACE].astype(str).str.match(_PAGE.pattern).all():
        return []
    labels = [c for c in frame.columns if c not in (ROW, PLACE)]
    filled = frame[labels].notna().to_numpy()
    places = frame[PLACE].tolist()
    out = []
    for i in range(1, len(frame)):
        if places[i] == places[i - 1]:
            continue
        empty_here = [
            label for j, label in enumerate(labels) if filled[i - 1, j] and not filled[i, j]
        ]
        if not empty_here:
            continue
        shown = ", ".join(f"« {x} »" for x in empty_here)
        above = f"{places[i - 1]}, ligne {int(frame[ROW].iloc[i - 1])}"
        out.append(
            Problem(
                int(frame[ROW].iloc[i]),
                places[i],
                empty_here[0],
                None,
                f"première ligne de la {places[i]}, sans {shown} : peut-être la suite de la ligne "
                f"d'avant ({above}), coupée par le saut de page ; elle n'y est pas recollée "
                "d'office, car elle porte ce qu'une suite de ligne ne porte pas (montant, code)",
                "vérifier dans le PDF : si c'est la suite d'une ligne, demander à l'éditeur la "
                "liste au format tableur ou déposer à la place une copie corrigée (CSV) ; si "
                "c'est bien un lauréat, rien à faire",
                severity="warning",
                code=CODE,
            )
        )
    return out
