"""What the lines of a table become before validation: filtered (`filter:`), list items off the
`read.items` pattern rejected, control characters stripped; and a second file beside the manifest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.problems import Problem
from pipelines.common.text import CONTROL_RE2, strip_control, text_key
from pipelines.read.layout import PLACE, ROW, RawTable, SkippedRow
from pipelines.read.manifest import RowFilter, data_paths_for
from pipelines.read.readers.items import UNMATCHED_COLUMN
from pipelines.read.table_columns import column_for


def apply_filter(
    frame: pd.DataFrame, raw: RawTable, f: RowFilter, path: Path
) -> tuple[pd.DataFrame, list[SkippedRow]]:
    column = column_for(raw, f.column, path, "filter.column")
    keep = {text_key(v) for v in f.keep}
    mask = (
        frame[column]
        .map(lambda v: text_key(v) in keep if isinstance(v, str) else False)
        .astype(bool)
    )
    dropped = [
        SkippedRow(
            int(r),
            p if isinstance(p, str) else None,
            f"écartée par le filtre ({f.column} = {v!r})",
            "",
            "filtered",
        )
        for r, p, v in zip(frame.loc[~mask, ROW], frame.loc[~mask, PLACE], frame.loc[~mask, column])
    ]
    return frame[mask], dropped


def unmatched_items(raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """An item of the list that does not follow `read.items`: rejected with its text, never lost."""
    if UNMATCHED_COLUMN not in raw.labels:
        return []
    column = frame.columns[raw.labels.index(UNMATCHED_COLUMN)]
    missed = frame[frame[column].notna()]
    return [
        Problem(
            int(row),
            None,
            "read.items",
            text,
            "cet élément de la liste ne suit pas le motif read.items",
            "adapter le motif read.items du manifeste pour qu'il reconnaisse aussi cette écriture "
            "(raw/README.md, « Page web sans tableau »)",
        )
        for row, text in zip(missed[ROW], missed[column])
    ]


def second_files(manifest_path: Path, data_path: Path) -> list[Problem]:
    """Another file with the source's name (an original kept beside its retyped copy): only one is read."""
    others = [p.name for p in data_paths_for(manifest_path) if p != data_path]
    if not others:
        return []
    return [
        Problem(
            None,
            None,
            None,
            ", ".join(others),
            f"{len(others) + 1} fichiers portent le nom de ce manifeste : seul {data_path.name} est lu, "
            f"pas {', '.join(others)}",
            "ne garder dans raw/ que le fichier publié ; renommer l'autre et lui donner son propre "
            "manifeste s'il est une autre source",
            severity="warning",
            code="second_file",
        )
    ]


def strip_controls(
    records: pd.DataFrame, headers: dict[str, str]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Control characters (NUL, bidi overrides, zero-width…) out of every text field, before validation:
    a name made only of them becomes empty and is judged so. One warning per column, naming the rows."""
    out = []
    for column in records.columns:
        if str(records[column].dtype) not in ("str", "string", "object") or column == "source_row":
            continue
        array = pa.array(records[column], type=pa.large_string(), from_pandas=True)
        found = pc.fill_null(pc.match_substring_regex(array, CONTROL_RE2), False).to_numpy(
            zero_copy_only=False
        )
        if not found.any():
            continue
        rows = records.loc[found, "source_row"].astype(int).tolist()
        cleaned = records[column].map(
            lambda v: (strip_control(v).strip() or None) if isinstance(v, str) else v
        )
        records = records.assign(**{column: cleaned.astype(records[column].dtype)})
        shown = ", ".join(map(str, rows[:5])) + (" …" if len(rows) > 5 else "")
        out.append(
            Problem(
                rows[0],
                None,
                headers.get(column, column),
                None,
                f"caractères invisibles ou de contrôle (NUL, sens d'écriture, largeur nulle) retirés de "
                f"{len(rows)} cellule(s), lignes {shown}",
                "vérifier ces cellules dans le fichier et les réécrire en texte simple",
                severity="warning",
                code="control_characters",
            )
        )
    return records, out
