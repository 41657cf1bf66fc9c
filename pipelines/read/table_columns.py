"""A manifest's header, as written, found among the columns of a file's table."""

from __future__ import annotations

from pathlib import Path

from pipelines.common.personal import excerpt
from pipelines.common.problems import SourceError
from pipelines.common.text import text_key
from pipelines.read.layout import RawTable


def label_column(table: RawTable, header: str) -> str | None:
    """The frame column of a header as written (case, accents and punctuation aside), if present."""
    key = text_key(header)
    return next((c for c, x in zip(table.frame.columns, table.labels) if text_key(x) == key), None)


def column_for(table: RawTable, header: str, path: Path, canonical: str) -> str:
    """The frame column holding `header` as written in the manifest; a clear error when it is absent or twice."""
    key = text_key(header)
    found = [label for label, raw in zip(table.frame.columns, table.labels) if text_key(raw) == key]
    place = (
        f"{table.header_place}, ligne {table.header_row}"
        if table.header_place
        else f"ligne {table.header_row}"
    )
    if not found:
        # Short, masked excerpts: a header line may be anything a file holds (never quoted whole).
        labels = [x for x in table.labels if x]
        present = ", ".join(repr(excerpt(x, 30)) for x in labels[:12]) + (
            " …" if len(labels) > 12 else ""
        )
        raise SourceError(
            path,
            f"colonne {header!r} (pour {canonical}) absente de l'en-tête",
            place=place,
            fix=f"corriger columns.{canonical} dans le manifeste ; en-têtes présents : {present}",
        )
    if len(found) > 1:
        raise SourceError(
            path,
            f"l'en-tête {header!r} apparaît {len(found)} fois",
            place=place,
            fix="renommer l'une des colonnes dans le fichier, ou préciser l'en-tête sur deux lignes "
            "(read.header_rows)",
        )
    return found[0]
