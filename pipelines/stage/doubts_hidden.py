"""Rows, columns or sheets the spreadsheet hides, in the part of it that is read: a doubt until
`read.hidden` says whether they are set aside (skip) or read (keep).

An automatic filter hiding the refused applications, a column « Motif du refus » hidden beside
the amounts: read cell by cell, they would be published as laureates and as their money.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.common.doubts import doubt
from pipelines.common.problems import Problem, SourceError
from pipelines.common.text import text_key
from pipelines.read.hidden import describe, unread_columns
from pipelines.read.layout import RawTable
from pipelines.read.manifest import Manifest

_FIX = (
    "read.hidden: skip pour les laisser de côté (des candidatures écartées, souvent : elles sont "
    "alors comptées parmi les lignes ignorées), ou read.hidden: keep pour les lire comme le reste"
)


def hidden_rows(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """Something hidden where the table is read, and no `read.hidden` to say what it is."""
    if manifest.read.hidden is not None:
        return []
    return [
        doubt(
            "hidden_rows",
            f"{describe(found)}, lues ici comme le reste du tableau"
            if found.sheet_rows is None
            else f"{describe(found)}, lue ici comme les autres feuilles",
            place=found.place,
            row=None,
            column=found.columns[0] if found.columns and not found.rows else None,
            fix=_FIX,
        )
        for found in raw.hidden
    ]


def check_unread_columns(manifest: Manifest, raw: RawTable, path: Path) -> None:
    """With `read.hidden: skip`, a column the manifest maps must not be one the file hides."""
    if manifest.read.hidden != "skip":
        return
    unread = {text_key(c): c for c in unread_columns(raw.hidden)}
    mapped = [h for h in manifest.headers() if text_key(h) in unread]
    if mapped:
        names = ", ".join(f"« {unread[text_key(h)]} »" for h in mapped)
        what = (
            f"la colonne {names}, reprise dans le manifeste, est masquée"
            if len(mapped) == 1
            else f"les colonnes {names}, reprises dans le manifeste, sont masquées"
        )
        raise SourceError(
            path,
            f"{what} dans le classeur, et read.hidden: skip laisse les colonnes masquées de côté",
            place=raw.hidden[0].place,
            status="bad_manifest",
            fix="retirer cette colonne de columns: (ou de filter:) si elle ne doit pas être lue, "
            "ou écrire read.hidden: keep pour lire aussi les lignes et colonnes masquées",
        )


def unread_as_ignored(manifest: Manifest, raw: RawTable) -> Manifest:
    """The manifest as the other detectors must see it: with `read.hidden: skip`, the hidden
    columns are deliberately left unread, as if listed under `ignore:`."""
    unread = unread_columns(raw.hidden) if manifest.read.hidden == "skip" else []
    if not unread:
        return manifest
    return manifest.model_copy(update={"ignore": (*manifest.ignore, *unread)})
