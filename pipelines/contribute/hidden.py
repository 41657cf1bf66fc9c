"""What `mille-jours new-source` does with what a spreadsheet hides: the sheet read by default is
the first one shown, the draft's table leaves hidden rows and columns aside, and the manifest
proposes `read.hidden: skip`, with what is hidden, to check."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from pipelines.contribute.manifest_text import ManifestText, set_value
from pipelines.read.hidden import describe_all
from pipelines.read.layout import RawTable, build_table, header_labels
from pipelines.read.manifest import DEFAULT_SKIP
from pipelines.read.readers import GridRow
from pipelines.read.readers.hidden import Hidden
from pipelines.read.workbook import build_sheets_table


def first_visible(rows: Sequence[GridRow], hidden: dict[str | None, Hidden]) -> str | None:
    """The sheet the pipeline reads by default: the first one the workbook does not hide."""
    places = list(dict.fromkeys(r.place for r in rows))
    return next((p for p in places if not (p in hidden and hidden[p].sheet)), places[0])


def draft_table(
    rows: Sequence[GridRow],
    several_sheets: bool,
    header: GridRow,
    depth: int,
    data_path: Path,
    hidden: dict[str | None, Hidden],
) -> RawTable:
    """The table as the pipeline will read it; what the file hides is set aside, as the
    `read.hidden: skip` the draft then proposes (`raw.hidden` says what it was)."""
    found: list = []
    for mode in (None, "skip"):
        if several_sheets:
            raw = build_sheets_table(
                rows,
                wanted=[c for c in header_labels([header], len(header.cells)) if c],
                header_row=None,
                header_rows=depth,
                skip_patterns=list(DEFAULT_SKIP),
                path=data_path,
                hidden_mode=mode,
            )
        else:
            raw = build_table(
                rows,
                wanted=[],
                header_row=header.number,
                header_rows=depth,
                skip_patterns=list(DEFAULT_SKIP),
                path=data_path,
                hidden_mode=mode,
                hidden=hidden,
            )
        found = found or raw.hidden  # a hidden sheet skipped is no longer found: said as first seen
        if not found:
            break
    raw.hidden = found
    return raw


def propose_hidden(doc: ManifestText, read: CommentedMap, raw: RawTable) -> None:
    """Rows, columns or sheets the file hides where the table is: proposed set aside, to check."""
    if not raw.hidden:
        return
    what = describe_all(raw.hidden)
    set_value(
        read,
        "hidden",
        "skip",
        f"À VÉRIFIER : {what} ; skip les laisse de côté (comptées parmi les lignes ignorées), "
        "keep les lit comme le reste",
        2,
    )
    doc.to_check.append("read.hidden")
    doc.notes.append(f"{what} : read.hidden: skip proposé, à vérifier")
