"""What `mille-jours new-source` saw in a file, before drafting its manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipelines.read.layout import RawTable
from pipelines.read.readers import GridRow


@dataclass
class Look:
    """What `new-source` saw in the file: how it reads, where its header is, what its columns are."""

    data_path: Path
    fmt: str
    options: dict
    rows: Sequence[GridRow]
    header: GridRow
    raw: RawTable
    depth: int
    columns: dict[str, str]
    by_funder: dict[str, str]
    unmapped: list[str]
    state_column: str | None = None  # a démarches-simplifiées export: its state column, filtered
    sheet_names: list[str] | None = None  # several sheets sharing the header, read as one table
    records_note: str | None = None  # a JSON file's other lists, beside the one proposed
    position_note: str | None = None  # no header found: the first laureate, where it was looked for
