"""The tables of a document that holds several (a web page, a Word document), as `read.table` chooses."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from pipelines.common.problems import SourceError

T = TypeVar("T")


def chosen_tables(
    tables: Sequence[T], number: int | None, path: Path, container: str
) -> list[tuple[int, T]]:
    """Every table with its rank (1 = the first), or only the one `read.table` names; `container`
    says what holds them in the message (« la page », « le document »)."""
    if number is None:
        return list(enumerate(tables, start=1))
    if number > len(tables):
        raise SourceError(
            path,
            f"read.table {number} : {container} n'a que {len(tables)} tableau(x)",
            place="manifeste, read.table",
            fix=f"choisir un numéro entre 1 et {len(tables)}",
        )
    return [(number, tables[number - 1])]
