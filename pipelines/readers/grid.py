"""The shape every reader returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GridRow:
    number: int  # 1-based row (line) number within its place
    place: str | None  # sheet name, "page 2", "tableau 1"; None for a flat file
    cells: tuple[str | None, ...]  # text as written, whitespace folded, None when empty

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)

    def where(self) -> str:
        return f"{self.place}, ligne {self.number}" if self.place else f"ligne {self.number}"
